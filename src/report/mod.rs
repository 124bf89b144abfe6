//! Presenting reports: shared labels, and one renderer per output format. Renderers only read
//! the report; they compute nothing.

pub mod labels;
