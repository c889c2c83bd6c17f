//! Stage 8c: pictures and a page for analysts, drawn with plotters from `classify`'s
//! summary table and `evaluate`'s JSON report: stance shares by actor, each actor's
//! stance month by month, the confusion matrix of each head; and one self-contained HTML
//! page showing them with the tables.
//!
//! Text is drawn with DejaVu Sans, compiled in (`models/fonts/`), so that PNG output
//! needs no font on the machine.

use std::collections::BTreeMap;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::eval::Metrics;
use crate::label::Stance;

static FONT: &[u8] = include_bytes!("../models/fonts/DejaVuSans.ttf");

/// One row of the summary table (`output::write_summary`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct SummaryRow {
    pub speaker: String,
    pub speaker_name: String,
    /// `YYYY-MM`, or empty for undated dispatches.
    #[serde(deserialize_with = "empty_if_null")]
    pub month: String,
    pub dispatches: usize,
    pub statements: usize,
    pub neutral: usize,
    #[serde(rename = "pro-armenia")]
    pub pro_armenia: usize,
    #[serde(rename = "pro-azerbaijan")]
    pub pro_azerbaijan: usize,
    pub ceasefire: usize,
}

fn empty_if_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::Deserialize;
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

impl SummaryRow {
    /// Counts in [`Stance::ALL`] order.
    pub fn by_stance(&self) -> [usize; 4] {
        [
            self.neutral,
            self.pro_armenia,
            self.pro_azerbaijan,
            self.ceasefire,
        ]
    }
}

/// Reads a summary table written by `classify`, CSV or JSON Lines (by extension).
pub fn read_summary(path: &Path) -> Result<Vec<SummaryRow>> {
    let text = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = crate::dispatch::decode(text, path, 1)?;
    if path.extension().is_some_and(|e| e == "jsonl") {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str(l)
                    .map_err(|e| Error::data(path, Some(i as u64 + 1), e.to_string()))
            })
            .collect()
    } else {
        let mut r = crate::corpus::csv_reader_from(text.as_bytes());
        r.deserialize()
            .map(|row| {
                row.map_err(|e| {
                    let line = e.position().map(|p| p.line());
                    Error::data(path, line, format!("not a summary table row: {e}"))
                })
            })
            .collect()
    }
}

/// Reads the per-head metrics of a JSON report written by `stance evaluate -o`.
pub fn read_evaluation(path: &Path) -> Result<BTreeMap<String, Metrics>> {
    #[derive(serde::Deserialize)]
    struct Report {
        heads: BTreeMap<String, Metrics>,
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let r: Report = serde_json::from_str(&text).map_err(|e| {
        Error::data(
            path,
            Some(e.line() as u64),
            format!("not a report of `stance evaluate -o`: {e}"),
        )
    })?;
    Ok(r.heads)
}

/// Picture format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageFormat {
    #[default]
    Svg,
    Png,
}

impl ImageFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
        }
    }
}

/// A rendered picture: its file stem, its caption and its bytes.
#[derive(Debug, Clone)]
pub struct Chart {
    pub name: String,
    pub caption: String,
    pub format: ImageFormat,
    pub bytes: Vec<u8>,
}

fn stance_color(s: Stance) -> RGBColor {
    match s {
        Stance::Neutral => RGBColor(0x9e, 0x9e, 0x9e),
        Stance::ProArmenia => RGBColor(0xd9, 0x5f, 0x02),
        Stance::ProAzerbaijan => RGBColor(0x1b, 0x9e, 0x77),
        Stance::Ceasefire => RGBColor(0x75, 0x70, 0xb3),
    }
}

fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            // the font is compiled in and known to parse (tested)
            let _ = plotters::style::register_font("sans-serif", style, FONT);
        }
    });
}

/// `n` categories `0..n` on an axis (plotters' segmented `0..m` holds `m + 1`).
fn categories(
    n: usize,
) -> plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize> {
    (0..n.max(1) - 1).into_segmented()
}

/// Truncates a label to `n` characters with an ellipsis.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// The four stance colours in a row, at the top left of `area`.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for (k, &stance) in Stance::ALL.iter().enumerate() {
        let x = 20 + 150 * k as i32;
        area.draw(&Rectangle::new(
            [(x, 6), (x + 14, 20)],
            stance_color(stance).filled(),
        ))?;
        area.draw(&Text::new(stance.as_str(), (x + 20, 6), ("sans-serif", 14)))?;
    }
    Ok(())
}

fn draw_err(e: impl std::fmt::Display) -> Error {
    Error::Data {
        at: crate::error::Location {
            path: "(report)".into(),
            line: None,
        },
        message: format!("drawing: {e}"),
    }
}

/// Draws with `draw` on an SVG or PNG canvas of `size` pixels and returns the file bytes.
macro_rules! render {
    ($format:expr, $size:expr, |$root:ident| $draw:expr) => {{
        register_font();
        let (w, h): (u32, u32) = $size;
        match $format {
            ImageFormat::Svg => {
                let mut s = String::new();
                {
                    let $root = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
                    $root.fill(&WHITE).map_err(draw_err)?;
                    $draw.map_err(draw_err)?;
                    $root.present().map_err(draw_err)?;
                }
                s.into_bytes()
            }
            ImageFormat::Png => {
                let mut buf = vec![0u8; (w * h * 3) as usize];
                {
                    let $root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                    $root.fill(&WHITE).map_err(draw_err)?;
                    $draw.map_err(draw_err)?;
                    $root.present().map_err(draw_err)?;
                }
                let img = image::RgbImage::from_raw(w, h, buf).expect("buffer of w × h × 3");
                let mut out = std::io::Cursor::new(Vec::new());
                img.write_to(&mut out, image::ImageFormat::Png)
                    .map_err(draw_err)?;
                out.into_inner()
            }
        }
    }};
}

/// Totals per actor over all months: `(id, name, counts by stance)`, most statements first
/// (ties by id).
pub fn actor_totals(rows: &[SummaryRow]) -> Vec<(String, String, [usize; 4])> {
    let mut t: BTreeMap<&str, (&str, [usize; 4])> = BTreeMap::new();
    for r in rows {
        let e = t.entry(&r.speaker).or_insert((&r.speaker_name, [0; 4]));
        for (a, b) in e.1.iter_mut().zip(r.by_stance()) {
            *a += b;
        }
    }
    let mut v: Vec<(String, String, [usize; 4])> = t
        .into_iter()
        .map(|(id, (name, c))| (id.to_string(), name.to_string(), c))
        .collect();
    v.sort_by(|a, b| {
        let (x, y) = (a.2.iter().sum::<usize>(), b.2.iter().sum::<usize>());
        y.cmp(&x).then(a.0.cmp(&b.0))
    });
    v
}

/// Stance shares of the `top` actors with the most statements: one 100 % bar each.
pub fn stance_by_actor(rows: &[SummaryRow], top: usize, format: ImageFormat) -> Result<Chart> {
    let mut actors = actor_totals(rows);
    actors.truncate(top);
    actors.reverse(); // the largest at the top
    let n = actors.len().max(1);
    let height = 150 + 34 * n as u32;
    let bytes = render!(format, (1000, height), |root| draw_shares(&root, &actors));
    Ok(Chart {
        name: "stance-by-actor".into(),
        caption: format!(
            "Stance shares of the {} actors with the most statements (all months)",
            actors.len()
        ),
        format,
        bytes,
    })
}

fn draw_shares<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    actors: &[(String, String, [usize; 4])],
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let labels: Vec<String> = actors
        .iter()
        .map(|(_, name, c)| format!("{} ({})", short(name, 36), c.iter().sum::<usize>()))
        .collect();
    let root = root.titled("Stance shares by actor", ("sans-serif", 22))?;
    let (band, root) = root.split_vertically(30);
    legend(&band)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .margin_right(30)
        .x_label_area_size(36)
        .y_label_area_size(300)
        .build_cartesian_2d(0f64..100f64, categories(actors.len()))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc("% of the actor's statements")
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .y_labels(actors.len().max(1))
        .label_style(("sans-serif", 14))
        .draw()?;
    for (k, &stance) in Stance::ALL.iter().enumerate() {
        let color = stance_color(stance);
        let bars = actors.iter().enumerate().map(move |(i, (_, _, c))| {
            let total = c.iter().sum::<usize>().max(1) as f64;
            let x0 = c[..k].iter().sum::<usize>() as f64 * 100.0 / total;
            let x1 = x0 + c[k] as f64 * 100.0 / total;
            Rectangle::new(
                [
                    (x0, SegmentValue::Exact(i)),
                    (x1, SegmentValue::Exact(i + 1)),
                ],
                color.filled(),
            )
        });
        chart.draw_series(bars)?;
    }
    // white rules between bars
    chart.draw_series((1..actors.len()).map(|i| {
        PathElement::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (100.0, SegmentValue::Exact(i)),
            ],
            WHITE.stroke_width(6),
        )
    }))?;
    Ok(())
}

/// Each of the `top` actors' statements month by month, stacked by stance: one panel an
/// actor. Undated dispatches are left out.
pub fn stance_over_time(rows: &[SummaryRow], top: usize, format: ImageFormat) -> Result<Chart> {
    let months: Vec<String> = {
        let mut m: Vec<String> = rows
            .iter()
            .filter(|r| !r.month.is_empty())
            .map(|r| r.month.clone())
            .collect();
        m.sort();
        m.dedup();
        m
    };
    let mut actors: Vec<(String, String, [usize; 4])> = actor_totals(
        &rows
            .iter()
            .filter(|r| !r.month.is_empty())
            .cloned()
            .collect::<Vec<_>>(),
    );
    actors.truncate(top);
    let series: Vec<(String, Vec<[usize; 4]>)> = actors
        .iter()
        .map(|(id, name, _)| {
            let by_month = months
                .iter()
                .map(|m| {
                    rows.iter()
                        .find(|r| &r.speaker == id && &r.month == m)
                        .map_or([0; 4], SummaryRow::by_stance)
                })
                .collect();
            (name.clone(), by_month)
        })
        .collect();
    let cols = 2usize;
    let panel_rows = series.len().div_ceil(cols).max(1);
    let size = (1000, 90 + 260 * panel_rows as u32);
    let bytes = render!(format, size, |root| draw_over_time(
        &root, &series, &months, panel_rows, cols
    ));
    Ok(Chart {
        name: "stance-over-time".into(),
        caption: format!(
            "Statements per month by stance, for the {} actors with the most dated statements \
             (months with statements only, in order)",
            series.len()
        ),
        format,
        bytes,
    })
}

fn draw_over_time<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[(String, Vec<[usize; 4]>)],
    months: &[String],
    rows: usize,
    cols: usize,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let root = root.titled("Stance over time", ("sans-serif", 22))?;
    let (band, root) = root.split_vertically(30);
    legend(&band)?;
    let panels = root.split_evenly((rows, cols));
    let m = months.len().max(1);
    for (panel, (name, by_month)) in panels.iter().zip(series) {
        let max = by_month
            .iter()
            .map(|c| c.iter().sum::<usize>())
            .max()
            .unwrap_or(0)
            .max(1);
        let mut chart = ChartBuilder::on(panel)
            .caption(name, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(categories(m), 0..max + max / 5 + 1)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(m.min(8))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => months.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc("statements")
            .label_style(("sans-serif", 12))
            .draw()?;
        for (k, &stance) in Stance::ALL.iter().enumerate() {
            let color = stance_color(stance);
            chart.draw_series(by_month.iter().enumerate().filter(|(_, c)| c[k] > 0).map(
                |(i, c)| {
                    let y0 = c[..k].iter().sum::<usize>();
                    let mut bar = Rectangle::new(
                        [
                            (SegmentValue::Exact(i), y0),
                            (SegmentValue::Exact(i + 1), y0 + c[k]),
                        ],
                        color.filled(),
                    );
                    bar.set_margin(0, 0, 6, 6);
                    bar
                },
            ))?;
        }
    }
    Ok(())
}

/// The confusion matrix of one head: gold classes down, predicted across, each cell's
/// count, shaded by its share of the gold row.
pub fn confusion(head: &str, m: &Metrics, format: ImageFormat) -> Result<Chart> {
    let k = m.classes.len();
    let size = (260 + 110 * k as u32, 200 + 90 * k as u32);
    let bytes = render!(format, size, |root| draw_confusion(&root, head, m));
    Ok(Chart {
        name: format!("confusion-{head}"),
        caption: format!(
            "{head}: confusion matrix on {} statements (accuracy {:.3}, macro-F1 {:.3})",
            m.n, m.accuracy, m.macro_f1
        ),
        format,
        bytes,
    })
}

fn draw_confusion<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    head: &str,
    m: &Metrics,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let k = m.classes.len().max(1);
    let classes = &m.classes;
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{head}: gold (rows) × predicted"),
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(130)
        .build_cartesian_2d(categories(k), categories(k))?;
    let name = |v: &SegmentValue<usize>, reversed: bool| match v {
        SegmentValue::CenterOf(i) => {
            let i = if reversed { k - 1 - *i } else { *i };
            classes.get(i).cloned().unwrap_or_default()
        }
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(k)
        .y_labels(k)
        .x_label_formatter(&|v| name(v, false))
        .y_label_formatter(&|v| name(v, true))
        .x_desc("predicted")
        .y_desc("gold")
        .label_style(("sans-serif", 13))
        .draw()?;
    for (g, row) in m.confusion.iter().enumerate() {
        let total = row.iter().sum::<usize>().max(1) as f64;
        for (p, &n) in row.iter().enumerate() {
            let share = n as f64 / total;
            let y = k - 1 - g;
            let shade = (255.0 - 200.0 * share) as u8;
            let fill = RGBColor(shade, shade, 255);
            chart.draw_series(std::iter::once(Rectangle::new(
                [
                    (SegmentValue::Exact(p), SegmentValue::Exact(y)),
                    (SegmentValue::Exact(p + 1), SegmentValue::Exact(y + 1)),
                ],
                fill.filled(),
            )))?;
            let color = if share > 0.6 { WHITE } else { BLACK };
            chart.draw_series(std::iter::once(Text::new(
                n.to_string(),
                (SegmentValue::CenterOf(p), SegmentValue::CenterOf(y)),
                ("sans-serif", 18).into_font().color(&color),
            )))?;
        }
    }
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A picture as HTML: inline SVG, or a PNG as a data URI.
fn embed(c: &Chart) -> String {
    match c.format {
        ImageFormat::Svg => {
            let s = String::from_utf8_lossy(&c.bytes);
            let s = match s.find("<svg") {
                Some(i) => &s[i..],
                None => &s,
            };
            s.to_string()
        }
        ImageFormat::Png => {
            use base64::Engine;
            format!(
                "<img alt=\"{}\" src=\"data:image/png;base64,{}\">",
                escape(&c.caption),
                base64::engine::general_purpose::STANDARD.encode(&c.bytes)
            )
        }
    }
}

/// One self-contained page: the pictures with their captions, actor totals, and the
/// summary table.
pub fn html(title: &str, charts: &[Chart], rows: &[SummaryRow]) -> String {
    let mut h = String::new();
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\n<style>\
         body{{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;color:#222}}\
         figure{{margin:2em 0}} figcaption{{color:#555}} svg,img{{max-width:100%;height:auto}}\
         table{{border-collapse:collapse;font-size:13px}} td,th{{border:1px solid #ccc;padding:3px 8px}}\
         td.n{{text-align:right}} th{{background:#f3f3f3}}</style></head><body>\n<h1>{t}</h1>\n",
        t = escape(title)
    ));
    for c in charts {
        h.push_str(&format!(
            "<figure>{}<figcaption>{}</figcaption></figure>\n",
            embed(c),
            escape(&c.caption)
        ));
    }
    let head: String = Stance::ALL
        .iter()
        .map(|s| format!("<th>{}</th>", s.as_str()))
        .collect();
    h.push_str(&format!(
        "<h2>Actors</h2>\n<table><tr><th>actor</th><th>id</th><th>statements</th>{head}</tr>\n"
    ));
    for (id, name, c) in actor_totals(rows) {
        let total = c.iter().sum::<usize>();
        let cells: String = c
            .iter()
            .map(|&n| {
                format!(
                    "<td class=\"n\">{n} ({:.0} %)</td>",
                    100.0 * n as f64 / total.max(1) as f64
                )
            })
            .collect();
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{total}</td>{cells}</tr>\n",
            escape(&name),
            escape(&id)
        ));
    }
    h.push_str(&format!(
        "</table>\n<h2>By month</h2>\n<table><tr><th>actor</th><th>month</th><th>dispatches</th><th>statements</th>{head}</tr>\n"
    ));
    for r in rows {
        let cells: String = r
            .by_stance()
            .iter()
            .map(|n| format!("<td class=\"n\">{n}</td>"))
            .collect();
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{cells}</tr>\n",
            escape(&r.speaker_name),
            if r.month.is_empty() { "undated".into() } else { escape(&r.month) },
            r.dispatches,
            r.statements
        ));
    }
    h.push_str("</table>\n</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(speaker: &str, month: &str, c: [usize; 4]) -> SummaryRow {
        SummaryRow {
            speaker: speaker.into(),
            speaker_name: speaker.to_uppercase(),
            month: month.into(),
            dispatches: 1,
            statements: c.iter().sum(),
            neutral: c[0],
            pro_armenia: c[1],
            pro_azerbaijan: c[2],
            ceasefire: c[3],
        }
    }

    #[test]
    fn totals_sum_months_and_sort_by_statements() {
        let rows = [
            row("a", "2020-10", [1, 0, 0, 0]),
            row("b", "2020-10", [0, 2, 0, 0]),
            row("a", "2020-11", [0, 0, 0, 3]),
            row("c", "", [0, 0, 1, 0]),
        ];
        let t = actor_totals(&rows);
        let got: Vec<(&str, [usize; 4])> = t.iter().map(|(id, _, c)| (id.as_str(), *c)).collect();
        assert_eq!(
            got,
            [
                ("a", [1, 0, 0, 3]),
                ("b", [0, 2, 0, 0]),
                ("c", [0, 0, 1, 0])
            ]
        );
    }

    #[test]
    fn charts_render_in_both_formats_and_the_page_embeds_them() {
        let rows = [
            row("a", "2020-10", [1, 0, 0, 2]),
            row("b", "2020-11", [0, 2, 1, 0]),
            row("b", "", [0, 1, 0, 0]),
        ];
        let m = crate::eval::score(
            &crate::label::Classes::infer(["x", "y"]),
            &[0, 1, 1],
            &[0, 1, 0],
        );
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            let charts = [
                stance_by_actor(&rows, 10, format).unwrap(),
                stance_over_time(&rows, 6, format).unwrap(),
                confusion("stance", &m, format).unwrap(),
            ];
            for c in &charts {
                match format {
                    ImageFormat::Svg => {
                        let s = String::from_utf8(c.bytes.clone()).unwrap();
                        assert!(s.contains("<svg") && s.contains("</svg>"), "{}", c.name);
                    }
                    ImageFormat::Png => assert_eq!(&c.bytes[1..4], b"PNG", "{}", c.name),
                }
            }
            let page = html("t <&>", &charts, &rows);
            assert!(page.contains("<h1>t &lt;&amp;&gt;</h1>"));
            assert_eq!(page.matches("<figure>").count(), 3);
            assert!(page.contains("undated"));
        }
    }

    #[test]
    fn summary_csv_reads_back_with_empty_months() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("summary.csv");
        std::fs::write(
            &p,
            "speaker,speaker_name,month,dispatches,statements,neutral,pro-armenia,pro-azerbaijan,ceasefire\n\
             a,A,2020-10,1,3,1,0,0,2\nb,B,,1,1,0,1,0,0\n",
        )
        .unwrap();
        let rows = read_summary(&p).unwrap();
        assert_eq!(rows[0], row("a", "2020-10", [1, 0, 0, 2]).tap_name("A"));
        assert_eq!(rows[1].month, "");
        std::fs::write(&p, "speaker,month\na,2020-10\n").unwrap();
        let e = read_summary(&p).unwrap_err().to_string();
        assert!(e.contains("summary.csv:2: not a summary table row"), "{e}");
    }

    impl SummaryRow {
        fn tap_name(mut self, n: &str) -> Self {
            self.speaker_name = n.into();
            self
        }
    }
}
