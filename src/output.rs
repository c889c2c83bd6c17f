//! Stage 8a: the statements CSV.
//!
//! One row a statement: `dispatch_id, date, speaker, speaker_name, mention,
//! mention_start, mention_end, kind, cue, confidence, start, end, text`, then for each head of the model its label and one `<head>_p_<class>`
//! probability column per class. `start`/`end` are character offsets into the dispatch
//! as read (the gold corpus uses the same convention).

use std::io::Write;

use crate::actor::Gazetteer;
use crate::classifier::Classifier;
use crate::dispatch::{CharCursor, Dispatch};
use crate::error::{Error, Result};
use crate::predict::{ActorStance, ClassifiedStatement};

/// Writes classified statements as CSV, header first.
pub struct StatementWriter<W: Write> {
    w: csv::Writer<W>,
    heads: Vec<(String, Vec<String>)>,
}

impl<W: Write> StatementWriter<W> {
    pub fn new(w: W, model: &Classifier) -> Result<Self> {
        let mut w = csv::Writer::from_writer(w);
        let heads: Vec<(String, Vec<String>)> = model
            .heads
            .iter()
            .map(|h| (h.name.clone(), h.model.classes.names().to_vec()))
            .collect();
        let mut header: Vec<String> = [
            "dispatch_id",
            "date",
            "speaker",
            "speaker_name",
            "mention",
            "mention_start",
            "mention_end",
            "kind",
            "cue",
            "confidence",
            "start",
            "end",
            "text",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for (name, classes) in &heads {
            header.push(name.clone());
            header.extend(classes.iter().map(|c| format!("{name}_p_{c}")));
        }
        w.write_record(&header).map_err(csv_err)?;
        Ok(StatementWriter { w, heads })
    }

    pub fn write(
        &mut self,
        d: &Dispatch,
        rows: &[ClassifiedStatement],
        g: &Gazetteer,
    ) -> Result<()> {
        let date = d.date.map(|d| d.to_string()).unwrap_or_default();
        let mut cursor = CharCursor::new(&d.source);
        for r in rows {
            let s = &r.statement;
            let (mut ms, mut me) = (String::new(), String::new());
            if let Some(m) = s.mention.clone().map(|m| d.source_span(m)) {
                ms = cursor.offset(m.start).to_string();
                me = cursor.offset(m.end).to_string();
            }
            let span = d.source_span(s.span.clone());
            let (start, end) = (cursor.offset(span.start), cursor.offset(span.end));
            let mut rec: Vec<String> = vec![
                d.id.clone(),
                date.clone(),
                s.speaker_id(g).to_string(),
                s.speaker_name(g).to_string(),
                s.mention
                    .clone()
                    .map(|m| d.body[m].to_string())
                    .unwrap_or_default(),
                ms,
                me,
                s.kind.as_str().to_string(),
                s.cue.as_str().to_string(),
                format!("{:.2}", s.confidence()),
                start.to_string(),
                end.to_string(),
                s.text.clone(),
            ];
            for ((_, classes), p) in self.heads.iter().zip(&r.predictions) {
                rec.push(classes[p.class].clone());
                rec.extend(p.probs.iter().map(|v| format!("{v:.4}")));
            }
            self.w.write_record(&rec).map_err(csv_err)?;
        }
        Ok(())
    }

    /// Flushes and hands back the underlying writer.
    pub fn into_inner(self) -> Result<W> {
        self.w
            .into_inner()
            .map_err(|e| Error::io("(output)", e.into_error()))
    }
}

/// Writes actors' stances per dispatch: `dispatch_id, date, speaker, stance, statements`.
pub struct ActorWriter<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> ActorWriter<W> {
    pub fn new(w: W) -> Result<Self> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record(["dispatch_id", "date", "speaker", "stance", "statements"])
            .map_err(csv_err)?;
        Ok(ActorWriter { w })
    }
    pub fn write(&mut self, d: &Dispatch, actors: &[ActorStance]) -> Result<()> {
        let date = d.date.map(|d| d.to_string()).unwrap_or_default();
        for a in actors {
            self.w
                .write_record([
                    d.id.as_str(),
                    &date,
                    &a.speaker,
                    a.stance.as_str(),
                    &a.statements.to_string(),
                ])
                .map_err(csv_err)?;
        }
        Ok(())
    }
    /// Flushes and hands back the underlying writer.
    pub fn into_inner(self) -> Result<W> {
        self.w
            .into_inner()
            .map_err(|e| Error::io("(output)", e.into_error()))
    }
}

fn csv_err(e: csv::Error) -> Error {
    Error::Csv {
        path: "(output)".into(),
        source: e,
    }
}
