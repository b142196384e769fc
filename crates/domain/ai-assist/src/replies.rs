//! Quick replies: the answers a user can give with one tap.

/// The quick replies to a yes/no question.
pub const YES_NO: [&str; 2] = ["Yes", "No"];

/// English words that open a question answered with yes or no.
const AUXILIARIES: &[&str] = &[
    "do", "does", "did", "would", "should", "shall", "can", "could", "will", "is", "are", "was",
    "were", "may", "might", "have", "has", "want", "need", "am",
];

/// Chinese forms of a yes/no question (`…嗎?`, `是否…`, `要不要…`, `…好不好`).
const CHINESE_YES_NO: &[&str] = &["嗎", "吗", "是否", "要不要", "好不好", "可不可以", "能不能"];

/// Chinese question words that make a question open, not yes/no.
const CHINESE_OPEN: &[&str] = &[
    "什麼",
    "什么",
    "哪",
    "如何",
    "怎麼",
    "怎么",
    "為什麼",
    "为什么",
    "多少",
];

/// The text outside fenced code blocks: a `?` inside YAML or a shell line is no question.
fn prose(answer: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    for line in answer.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if !in_fence {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Whether the answer ends by asking something the user can answer with yes or no: its
/// last question opens with an auxiliary verb (`Do you want…?`, `Shall I…?`) or has a
/// Chinese yes/no form (`需要我幫您生成 playbook 嗎?`) and no open question word.
pub fn asks_yes_no(answer: &str) -> bool {
    let text = prose(answer);
    let Some(end) = text.rfind(['?', '？']) else {
        return false;
    };
    let before = &text[..end];
    let start = before
        .rfind(['.', '!', '?', '。', '！', '？', '\n', ':', '：'])
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let question = before[start..].trim();
    if CHINESE_YES_NO.iter().any(|w| question.contains(w)) {
        return !CHINESE_OPEN.iter().any(|w| question.contains(w)) || question.contains('嗎');
    }
    let first = question
        .trim_start_matches(|c: char| !c.is_alphabetic())
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let first = match first.as_str() {
        // "So, do you…", "Then shall I…": the opening word of the clause that asks.
        "so" | "then" | "and" | "ok" | "okay" => question
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .nth(1)
            .unwrap_or_default()
            .to_lowercase(),
        _ => first,
    };
    AUXILIARIES.contains(&first.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_no_questions_are_told_from_open_ones() {
        let yes = [
            "要部署 Nginx,您可以使用 Ansible playbook。需要我幫您生成 playbook 嗎?",
            "Here it is. Do you want me to add a handler?",
            "I can do that. Shall I write the playbook?\n",
            "Done.\n\n```yaml\n- hosts: all\n```\nWould you like to create it?",
            "OK. So, should I continue?",
            "是否要同時啟用防火牆？",
        ];
        for text in yes {
            assert!(asks_yes_no(text), "{text}");
        }
        let no = [
            "Which hosts should it run on?",
            "What version do you need?",
            "您想部署到哪個群組?",
            "Here is the playbook.",
            "```yaml\n- name: is it? \n```\nThat is all.",
            "",
        ];
        for text in no {
            assert!(!asks_yes_no(text), "{text}");
        }
    }
}
