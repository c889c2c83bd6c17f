//! `stance`: who said what in French news dispatches, and which side they take.
//!
//! The pipeline, one module a stage, each stage's output the next one's input:
//!
//! 1. [`dispatch`] — the raw text (date header, hard wraps, CRLF, BOM) into a [`dispatch::Dispatch`];
//! 2. [`statement`] — quotes and their speakers: `Dispatch → Vec<Statement>`;
//! 3. [`actor`] — the gazetteer that resolves names, roles and metonyms to actors;
//! 4. [`tokenize`] — statement text into subword ids;
//! 5. [`features`] — subword n-grams into sparse TF-IDF rows;
//! 6. [`model`] — multinomial logistic heads (stance, sentiment) over those rows;
//! 7. [`predict`] — a [`classifier::Classifier`] applied to a dispatch's statements;
//! 8. [`output`] and [`eval`] — the statements CSV and the accuracy report.
//!
//! [`batch`] runs stages 1–7 over many inputs (files, folders, standard input, JSON
//! Lines) in parallel chunks; [`report`] draws the charts and the HTML page from the
//! tables. [`label`] parses label strings once; [`corpus`] reads labelled CSVs and the gold
//! corpus; [`classifier`] is the versioned model file tying stages 4–6 together.
//!
//! ```
//! let model = stance::classifier::Classifier::embedded().unwrap();
//! let gazetteer = stance::actor::Gazetteer::default_karabakh();
//! let d = stance::dispatch::parse_str("ex", "Mike Pompeo a appelé à «mettre fin aux violences».");
//! let rows = stance::predict::classify_dispatch(&d, &gazetteer, &model);
//! assert_eq!(rows[0].statement.speaker_id(&gazetteer), "mike-pompeo");
//! ```

pub mod actor;
pub mod batch;
pub mod classifier;
pub mod corpus;
pub mod dispatch;
pub mod error;
pub mod eval;
pub mod features;
pub mod label;
pub mod lbfgs;
pub mod model;
pub mod output;
pub mod predict;
pub mod report;
pub mod statement;
pub mod tokenize;

pub use error::{Error, Result};
