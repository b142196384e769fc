//! Events to a node graph, with anchors and aliases resolved.
//!
//! Aliases share the anchored node (`Rc`), and every alias use is charged its full
//! expanded size against [`MAX_NODES`], so "billion laughs" documents fail fast
//! instead of exhausting memory when they are later walked.

use std::collections::HashMap;
use std::rc::Rc;

use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle, Span, Tag};

use super::YamlError;

/// Upper bound on expanded nodes (aliases counted at their full size).
pub(crate) const MAX_NODES: usize = 200_000;
/// Upper bound on nesting depth after alias expansion; keeps recursion shallow.
pub(crate) const MAX_HEIGHT: usize = 300;

/// A composed node before typing.
#[derive(Debug)]
pub(crate) struct Raw {
    pub(crate) line: usize,
    pub(crate) tag: Option<String>,
    pub(crate) kind: RawKind,
    size: usize,
    height: usize,
}

#[derive(Debug)]
pub(crate) enum RawKind {
    Scalar { value: String, plain: bool },
    Seq(Vec<Rc<Raw>>),
    Map(Vec<(Rc<Raw>, Rc<Raw>)>),
}

/// One document of a stream.
#[derive(Debug)]
pub(crate) struct Document {
    pub(crate) root: Rc<Raw>,
    /// Line of the document start.
    pub(crate) line: usize,
}

enum Frame {
    Seq {
        line: usize,
        tag: Option<String>,
        anchor: usize,
        items: Vec<Rc<Raw>>,
    },
    Map {
        line: usize,
        tag: Option<String>,
        anchor: usize,
        pairs: Vec<(Rc<Raw>, Rc<Raw>)>,
        key: Option<Rc<Raw>>,
    },
}

fn tag_text(tag: Option<&Tag>) -> Option<String> {
    tag.map(|t| format!("{}{}", t.handle(), t.suffix()))
}

struct Composer {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Rc<Raw>>,
    total: usize,
    root: Option<Rc<Raw>>,
    docs: Vec<Document>,
    doc_line: usize,
}

impl Composer {
    fn charge(&mut self, n: usize, line: usize) -> Result<(), YamlError> {
        self.total = self.total.saturating_add(n);
        if self.total > MAX_NODES {
            return Err(YamlError::at(
                line,
                format!("document expands to more than {MAX_NODES} nodes (alias bomb?)"),
            ));
        }
        Ok(())
    }

    fn finish(&mut self, node: Raw, anchor: usize) -> Result<(), YamlError> {
        if node.height > MAX_HEIGHT {
            return Err(YamlError::at(
                node.line,
                format!("nesting deeper than {MAX_HEIGHT} levels"),
            ));
        }
        self.charge(1, node.line)?;
        let node = Rc::new(node);
        if anchor != 0 {
            self.anchors.insert(anchor, Rc::clone(&node));
        }
        self.attach(node)
    }

    fn attach(&mut self, node: Rc<Raw>) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => {
                if self.root.is_some() {
                    return Err(YamlError::at(
                        node.line,
                        "more than one node at document level",
                    ));
                }
                self.root = Some(node);
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { pairs, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => pairs.push((k, node)),
            },
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        let line = span.start.line();
        match event {
            Event::DocumentStart(..) => {
                self.doc_line = line;
                self.root = None;
            }
            Event::DocumentEnd => {
                let root = self.root.take().unwrap_or_else(|| {
                    Rc::new(Raw {
                        line,
                        tag: None,
                        kind: RawKind::Scalar {
                            value: String::new(),
                            plain: true,
                        },
                        size: 1,
                        height: 1,
                    })
                });
                self.docs.push(Document {
                    root,
                    line: self.doc_line,
                });
            }
            Event::Scalar(value, style, anchor, tag) => {
                let node = Raw {
                    line,
                    tag: tag_text(tag.as_deref()),
                    kind: RawKind::Scalar {
                        value: value.into_owned(),
                        plain: matches!(style, ScalarStyle::Plain),
                    },
                    size: 1,
                    height: 1,
                };
                self.finish(node, anchor)?;
            }
            Event::Alias(id) => {
                let Some(node) = self.anchors.get(&id).cloned() else {
                    return Err(YamlError::at(
                        line,
                        "alias refers to an anchor that is not complete (recursive alias)",
                    ));
                };
                self.charge(node.size, line)?;
                let depth = self.stack.len() + node.height;
                if depth > MAX_HEIGHT {
                    return Err(YamlError::at(
                        line,
                        format!("nesting deeper than {MAX_HEIGHT} levels"),
                    ));
                }
                self.attach(node)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                self.stack.push(Frame::Seq {
                    line,
                    tag: tag_text(tag.as_deref()),
                    anchor,
                    items: Vec::new(),
                });
                if self.stack.len() > MAX_HEIGHT {
                    return Err(YamlError::at(
                        line,
                        format!("nesting deeper than {MAX_HEIGHT} levels"),
                    ));
                }
            }
            Event::MappingStart(_, anchor, tag) => {
                self.stack.push(Frame::Map {
                    line,
                    tag: tag_text(tag.as_deref()),
                    anchor,
                    pairs: Vec::new(),
                    key: None,
                });
                if self.stack.len() > MAX_HEIGHT {
                    return Err(YamlError::at(
                        line,
                        format!("nesting deeper than {MAX_HEIGHT} levels"),
                    ));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Err(YamlError::at(line, "unbalanced collection end"));
                };
                let (node, anchor) = match frame {
                    Frame::Seq {
                        line,
                        tag,
                        anchor,
                        items,
                    } => {
                        let size = items.iter().map(|i| i.size).sum::<usize>() + 1;
                        let height = items.iter().map(|i| i.height).max().unwrap_or(0) + 1;
                        (
                            Raw {
                                line,
                                tag,
                                kind: RawKind::Seq(items),
                                size,
                                height,
                            },
                            anchor,
                        )
                    }
                    Frame::Map {
                        line,
                        tag,
                        anchor,
                        pairs,
                        ..
                    } => {
                        let size = pairs.iter().map(|(k, v)| k.size + v.size).sum::<usize>() + 1;
                        let height = pairs
                            .iter()
                            .map(|(k, v)| k.height.max(v.height))
                            .max()
                            .unwrap_or(0)
                            + 1;
                        (
                            Raw {
                                line,
                                tag,
                                kind: RawKind::Map(pairs),
                                size,
                                height,
                            },
                            anchor,
                        )
                    }
                };
                self.finish(node, anchor)?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// Parse a YAML stream into its documents.
pub(crate) fn compose(text: &str) -> Result<Vec<Document>, YamlError> {
    let mut options = Options::default();
    options.emit_comments = false;
    let parser = Parser::new_from_str_with_options(text, options);
    let mut c = Composer {
        stack: Vec::new(),
        anchors: HashMap::new(),
        total: 0,
        root: None,
        docs: Vec::new(),
        doc_line: 1,
    };
    for item in parser {
        let (event, span) = item.map_err(|e| YamlError {
            line: Some(e.marker().line()),
            message: e.info(),
        })?;
        c.event(event, span)?;
    }
    Ok(c.docs)
}
