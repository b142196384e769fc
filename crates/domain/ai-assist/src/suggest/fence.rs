//! Fenced code blocks in Markdown: ```` ```yaml ````, ```` ```yml ```` or a bare fence.

/// The most blocks of one answer that are examined: a long answer cannot make the hub run
/// the syntax check without end.
pub const MAX_BLOCKS: usize = 3;

/// The bodies of the answer's fenced blocks tagged `yaml` or `yml` (any case) or not tagged,
/// in order, at most [`MAX_BLOCKS`]. A block left open at the end of the answer is not one.
pub fn fenced_blocks(answer: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut open: Option<(bool, String)> = None;
    for line in answer.lines() {
        let trimmed = line.trim_start();
        match open.take() {
            None => {
                if let Some(tag) = trimmed.strip_prefix("```") {
                    let tag = tag.trim().to_ascii_lowercase();
                    let wanted = matches!(tag.as_str(), "" | "yaml" | "yml");
                    open = Some((wanted, String::new()));
                }
            }
            Some((wanted, body)) => {
                if trimmed.starts_with("```") && trimmed.trim_end() == "```" {
                    if wanted && !body.trim().is_empty() {
                        blocks.push(body);
                        if blocks.len() == MAX_BLOCKS {
                            break;
                        }
                    }
                } else {
                    let mut body = body;
                    body.push_str(line);
                    body.push('\n');
                    open = Some((wanted, body));
                }
            }
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_bare_blocks_are_found_in_order() {
        let answer = "Intro\n```yaml\n- hosts: all\n```\ntext\n```bash\nls\n```\n```\na: 1\n```\n```YML\nb: 2\n```\n```yaml\nc: 3\n```\n";
        assert_eq!(
            fenced_blocks(answer),
            ["- hosts: all\n", "a: 1\n", "b: 2\n"]
        );
        assert!(fenced_blocks("```yaml\nnever closed\n").is_empty());
        assert!(fenced_blocks("no code").is_empty());
    }
}
