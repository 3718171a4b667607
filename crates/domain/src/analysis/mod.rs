//! Analyses over the registry (pure functions): the status table on a date, the comparison of
//! States by Stockholm focal point, and the other tables of the annual report.
