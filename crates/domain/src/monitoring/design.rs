//! The Rio de Janeiro commitment's criteria computed from a plan in design.
