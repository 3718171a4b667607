//! The monitoring charts as SVG, shared by the portal's pages and the annual report: an
//! indicator's approved values over time (with the dashed line from baseline to target the
//! on-track rule reads), and the States' share of indicators with recent data. Each has a
//! `<title>` and a `<desc>`; the caller puts the data table beside it as the text alternative.
//! The caller gives the words in its reader's language and the font family (the portal's pages
//! use the browser's sans-serif; the report the font its PDF embeds). Every text is escaped;
//! coordinates are plain numbers. No I/O: each function returns the SVG text.

use chrono::NaiveDate;
use observa_domain::monitoring::dashboard::IndicatorRow;

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;

/// The font family the portal's pages give their charts.
pub const SANS: &str = "sans-serif";

/// Escapes text for an SVG element or attribute.
pub fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Round steps for an axis from `low` to `high`: about five ticks.
fn ticks(low: f64, high: f64) -> Vec<f64> {
    let span = (high - low).max(1e-9);
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw);
    let mut out = vec![];
    let mut t = (low / step).ceil() * step;
    while t <= high + step * 1e-6 && out.len() < 12 {
        out.push((t * 1e6).round() / 1e6);
        t += step;
    }
    out
}

/// An indicator's chart. `id` makes the chart's element ids unique on its page; `values_of` is
/// "Approved values of" in the reader's language (the description reads "<values_of> <name>: <n>").
/// Empty when there is nothing to draw (no value, no baseline, no target).
pub fn indicator(row: &IndicatorRow, id: &str, values_of: &str, font: &str) -> String {
    let i = &row.indicator;
    let title = esc(&i.name);
    let mut points: Vec<(NaiveDate, f64)> = row.series.clone();
    let mut extent = points.clone();
    extent.extend(i.baseline.iter().chain(&i.target).map(|p| (p.date, p.value)));
    if extent.is_empty() {
        return String::new();
    }
    points.sort_by_key(|p| p.0);
    let (d0, d1) =
        (extent.iter().map(|p| p.0).min().unwrap_or_default(), extent.iter().map(|p| p.0).max().unwrap_or_default());
    let (mut v0, mut v1) = extent.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.1), b.max(p.1)));
    if v1 - v0 < 1e-9 {
        v0 -= 1.0;
        v1 += 1.0;
    }
    let v0 = v0.min(0.0_f64.max(v0 - (v1 - v0) * 0.1));
    let days = ((d1 - d0).num_days().max(1)) as f64;
    let x = |d: NaiveDate| LEFT + (W - LEFT - RIGHT) * ((d - d0).num_days() as f64 / days);
    let y = |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - (v - v0) / (v1 - v0));
    let mut svg = format!(
        "<svg role=\"img\" aria-labelledby=\"c-{id}-t c-{id}-d\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"{font}\" font-size=\"12\">\
         <title id=\"c-{id}-t\">{title}</title><desc id=\"c-{id}-d\">{desc}</desc>",
        id = esc(id),
        font = esc(font),
        desc = esc(&format!("{values_of} {}: {}", i.name, points.len())),
    );
    for t in ticks(v0, v1) {
        let ty = y(t);
        svg += &format!("<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\" stroke=\"#d0d0d0\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#333\">{t}</text>", W - RIGHT, LEFT - 6.0, ty + 4.0);
    }
    for year in d0.format("%Y").to_string().parse::<i32>().unwrap_or(2000)
        ..=d1.format("%Y").to_string().parse::<i32>().unwrap_or(2000)
    {
        if let Some(d) = NaiveDate::from_ymd_opt(year, 1, 1).filter(|d| *d >= d0 && *d <= d1) {
            svg += &format!(
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333\">{year}</text>",
                x(d),
                H - 12.0
            );
        }
    }
    if let (Some(b), Some(t)) = (i.baseline, i.target) {
        svg += &format!(
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#555\" stroke-dasharray=\"6 4\" stroke-width=\"1.5\"/>",
            x(b.date), y(b.value), x(t.date), y(t.value)
        );
        svg += &format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"#555\"/>",
            x(t.date) - 4.0,
            y(t.value) - 4.0
        );
    }
    if !points.is_empty() {
        let path: Vec<String> = points.iter().map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v))).collect();
        svg +=
            &format!("<polyline points=\"{}\" fill=\"none\" stroke=\"#0b4f8a\" stroke-width=\"2\"/>", path.join(" "));
        for (d, v) in &points {
            svg += &format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#0b4f8a\"><title>{d}: {v}</title></circle>",
                x(*d),
                y(*v)
            );
        }
    }
    svg + "</svg>"
}

/// Horizontal bars: each plan's share of indicators with an approved value from the last year
/// (`bars`: the label, usually its State's name, and the share in per cent), titled `title`.
/// Empty without bars.
pub fn states(bars: &[(String, f64)], title: &str, font: &str) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let bar = 18.0;
    let height = TOP + bars.len() as f64 * (bar + 6.0) + 8.0;
    let label_w = 170.0;
    let mut svg = format!(
        "<svg role=\"img\" aria-labelledby=\"cs-t\" viewBox=\"0 0 {W} {height}\" width=\"{W}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"{}\" font-size=\"12\"><title id=\"cs-t\">{}</title>",
        esc(font),
        esc(title)
    );
    for (n, (name, share)) in bars.iter().enumerate() {
        let top = TOP + n as f64 * (bar + 6.0);
        let width = (W - label_w - 60.0) * share / 100.0;
        svg += &format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#333\">{}</text><rect x=\"{label_w}\" y=\"{top:.1}\" width=\"{width:.1}\" height=\"{bar}\" fill=\"#0b4f8a\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"#333\">{:.0} %</text>",
            label_w - 6.0,
            top + 13.0,
            esc(name),
            label_w + width + 4.0,
            top + 13.0,
            share
        );
    }
    svg + "</svg>"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 100.0), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(0.5, 3.0), [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]);
    }

    #[test]
    fn texts_are_escaped() {
        assert_eq!(esc("<script>&\""), "&lt;script&gt;&amp;&quot;");
        let svg = states(&[("<b>".into(), 50.0)], "T&", "x\"y");
        assert!(svg.contains("&lt;b&gt;") && svg.contains("T&amp;") && svg.contains("x&quot;y"), "{svg}");
    }
}
