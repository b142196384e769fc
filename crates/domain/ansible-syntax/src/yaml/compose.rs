//! Events to a node graph, with anchors and aliases resolved.
//!
//! Aliases share the anchored node (`Rc`), and every alias use is charged its full
//! expanded size — nodes against [`MAX_NODES`], scalar bytes against
//! [`MAX_SCALAR_BYTES`] — so "billion laughs" documents fail fast instead of exhausting
//! memory when they are later constructed (which copies every alias) or walked.

use std::collections::HashMap;
use std::rc::Rc;

use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle, Span, Tag};

use super::YamlError;

/// Upper bound on expanded nodes (aliases counted at their full size).
pub(crate) const MAX_NODES: usize = 200_000;
/// Upper bound on expanded scalar bytes: a long string aliased many times is few nodes
/// but each alias becomes its own copy. 32 times the catalogue's largest text.
pub(crate) const MAX_SCALAR_BYTES: usize = 16 * 1024 * 1024;

/// Nodes and scalar bytes composed so far, aliases at their full size. One is shared
/// by all documents of a stream, or by every text of a larger whole (a playbook's tasks)
/// so that splitting an expansion into many texts does not multiply it.
#[derive(Debug, Clone)]
pub(crate) struct Expansion {
    nodes: usize,
    bytes: usize,
    /// What the caps apply to, for the message: "document", "playbook (all tasks)".
    scope: &'static str,
}

impl Expansion {
    pub(crate) fn new(scope: &'static str) -> Self {
        Self {
            nodes: 0,
            bytes: 0,
            scope,
        }
    }

    pub(crate) fn charge(
        &mut self,
        nodes: usize,
        bytes: usize,
        line: Option<usize>,
    ) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(nodes);
        self.bytes = self.bytes.saturating_add(bytes);
        let message = if self.nodes > MAX_NODES {
            format!(
                "{} expands to more than {MAX_NODES} YAML nodes (aliases counted at their full size)",
                self.scope
            )
        } else if self.bytes > MAX_SCALAR_BYTES {
            format!(
                "{} expands to more than {MAX_SCALAR_BYTES} bytes of YAML scalars (aliases counted at their full size)",
                self.scope
            )
        } else {
            return Ok(());
        };
        Err(YamlError { line, message })
    }
}
/// Upper bound on nesting depth after alias expansion; keeps recursion shallow.
pub(crate) const MAX_HEIGHT: usize = 300;

/// A composed node before typing.
#[derive(Debug)]
pub(crate) struct Raw {
    pub(crate) line: usize,
    pub(crate) tag: Option<String>,
    pub(crate) kind: RawKind,
    size: usize,
    /// Scalar bytes, aliases expanded.
    bytes: usize,
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

struct Composer<'b> {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Rc<Raw>>,
    budget: &'b mut Expansion,
    root: Option<Rc<Raw>>,
    docs: Vec<Document>,
    doc_line: usize,
}

impl Composer<'_> {
    fn finish(&mut self, node: Raw, anchor: usize) -> Result<(), YamlError> {
        if node.height > MAX_HEIGHT {
            return Err(YamlError::at(
                node.line,
                format!("nesting deeper than {MAX_HEIGHT} levels"),
            ));
        }
        // A collection's children were charged as they were attached.
        let own_bytes = match &node.kind {
            RawKind::Scalar { value, .. } => value.len(),
            RawKind::Seq(_) | RawKind::Map(_) => 0,
        };
        self.budget.charge(1, own_bytes, Some(node.line))?;
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
                        bytes: 0,
                        height: 1,
                    })
                });
                self.docs.push(Document {
                    root,
                    line: self.doc_line,
                });
            }
            Event::Scalar(value, style, anchor, tag) => {
                let bytes = value.len();
                let node = Raw {
                    line,
                    tag: tag_text(tag.as_deref()),
                    kind: RawKind::Scalar {
                        value: value.into_owned(),
                        plain: matches!(style, ScalarStyle::Plain),
                    },
                    size: 1,
                    bytes,
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
                self.budget.charge(node.size, node.bytes, Some(line))?;
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
                        let bytes = items.iter().map(|i| i.bytes).sum::<usize>();
                        let height = items.iter().map(|i| i.height).max().unwrap_or(0) + 1;
                        (
                            Raw {
                                line,
                                tag,
                                kind: RawKind::Seq(items),
                                size,
                                bytes,
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
                        let bytes = pairs.iter().map(|(k, v)| k.bytes + v.bytes).sum::<usize>();
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
                                bytes,
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

/// Parse a YAML stream into its documents, charging what it expands to `budget`.
pub(crate) fn compose(text: &str, budget: &mut Expansion) -> Result<Vec<Document>, YamlError> {
    let mut options = Options::default();
    options.emit_comments = false;
    let parser = Parser::new_from_str_with_options(text, options);
    let mut c = Composer {
        stack: Vec::new(),
        anchors: HashMap::new(),
        budget,
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
