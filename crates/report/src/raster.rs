//! A chart's SVG drawn as PNG, for the DOCX: Word shows the SVG itself, and readers that cannot
//! (older Word, some converters) show this picture instead. resvg and tiny-skia are the copies
//! typst already builds; the fonts are the ones the PDF embeds, so both look alike.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// The font family the report's charts name (the PDF's text font, which typst-assets ships).
pub const FONT: &str = "Libertinus Serif, serif";

/// Pixels per SVG unit: twice the chart's size, sharp enough on paper at the width Word prints it.
const SCALE: f32 = 2.0;

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            for data in typst_assets::fonts() {
                db.load_font_data(data.to_vec());
            }
            db.set_serif_family("Libertinus Serif");
            db.set_sans_serif_family("Libertinus Serif");
            Arc::new(db)
        })
        .clone()
}

/// The PNG of `svg` on white, with its width and height in pixels.
pub fn png(svg: &str) -> Result<(Vec<u8>, u32, u32), String> {
    let options = usvg::Options { fontdb: fonts(), font_family: "Libertinus Serif".into(), ..Default::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("reading a chart's SVG: {e}"))?;
    let size = tree.size().to_int_size().scale_by(SCALE).ok_or("a chart of no size")?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("a chart too large to draw")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(SCALE, SCALE), &mut pixmap.as_mut());
    let bytes = pixmap.encode_png().map_err(|e| format!("encoding a chart as PNG: {e}"))?;
    Ok((bytes, size.width(), size.height()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_becomes_a_png_of_twice_its_size_with_its_text_drawn() {
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 40\" width=\"100\" height=\"40\" font-family=\"{FONT}\"><text x=\"4\" y=\"20\">Quito</text></svg>"
        );
        let (png, w, h) = png(&svg).unwrap();
        assert_eq!((w, h), (200, 80));
        assert!(png.starts_with(b"\x89PNG"));
        let blank = png_of_nothing();
        assert!(png.len() > blank.len(), "the label is drawn: {} vs {} bytes", png.len(), blank.len());
    }

    fn png_of_nothing() -> Vec<u8> {
        png("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 40\" width=\"100\" height=\"40\"/>").unwrap().0
    }
}
