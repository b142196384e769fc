//! Seeded random inventories (INI and YAML) for the differential and property tests.
//!
//! The generator aims at the interesting corners — ranges, ports, quoting, comments,
//! Python/YAML 1.1 literals, nested children, precedence, a host named like a group —
//! and now and then injects a mistake so rejection is compared as well. It avoids what
//! our documented deviations cover (NaN/inf, huge integers, complex numbers).

use super::rng::Rng;

const GROUPS: [&str; 12] = [
    "web",
    "db",
    "app",
    "cache",
    "lb",
    "prod",
    "stage",
    "edge",
    "k8s-nodes",
    "g_1",
    "dc1",
    "eu",
];
const HOSTS: [&str; 12] = [
    "h1",
    "h2",
    "h3",
    "web01",
    "node-a",
    "10.0.0.5",
    "db.example.com",
    "srv_9",
    "web",
    "alpha",
    "beta.local",
    "::1",
];
const VAR_NAMES: [&str; 16] = [
    "ansible_host",
    "ansible_port",
    "ansible_user",
    "ansible_password",
    "ansible_ssh_host",
    "ansible_ssh_port",
    "ansible_ssh_user",
    "ansible_ssh_pass",
    "ansible_ssh_private_key_file",
    "env",
    "count",
    "x",
    "y",
    "flag",
    "items",
    "ansible_connection",
];

/// Host-line values (must survive `shlex`).
const INI_HOST_VALUES: [&str; 30] = [
    "1",
    "-7",
    "2222",
    "'2200'",
    "True",
    "False",
    "None",
    "yes",
    "on",
    "1.5",
    "0x1f",
    "0o17",
    "010",
    "'a b'",
    "\"q w\"",
    "[1,2]",
    "\"{'k':'v'}\"",
    "admin",
    "10.0.0.7",
    "~/.ssh/id_rsa",
    "p@ss#word",
    "'s3cr3t'",
    "\"it's\"",
    "\"'7'\"",
    "1_000",
    "\"\\\"x\\\"\"",
    "a\\ b",
    "",
    "x=y",
    "\"a\\\\nb\"",
];

/// `[g:vars]` values (taken verbatim after `=`).
const INI_VARS_VALUES: [&str; 22] = [
    "1",
    "'a b'",
    "x y",
    "[1, 2]",
    "{'a': 1, 'b': [True, None]}",
    "True",
    "foo # c",
    "1 # c",
    "",
    "a=b",
    "None",
    "0.5",
    "'quoted'",
    "\"dq\"",
    "(1, 'two')",
    "deploy",
    "2222",
    "'2222'",
    "-3",
    "u'uni'",
    "'tab\\there'",
    "1e3",
];

const YAML_VALUES: [&str; 32] = [
    "yes",
    "no",
    "on",
    "Off",
    "'yes'",
    "1",
    "-3",
    "0o17",
    "017",
    "0x1F",
    "1e3",
    "1.5",
    "1.0e+3",
    "12:30",
    "~",
    "null",
    "''",
    "\"a b\"",
    "plain text",
    "2001-12-14",
    "[1, two, {k: v}]",
    "{k: v, n: [1, 2]}",
    "'12:30'",
    "!unsafe '{{ x }}'",
    "true",
    "TRUE",
    ".5",
    "1_000",
    "2001-12-14 21:59:43.10 -5",
    "\"multi\\nline\"",
    "deploy",
    "10.0.0.9",
];

fn host_pattern(r: &mut Rng) -> String {
    let base = *r.pick(&HOSTS);
    let mut p = match r.below(10) {
        0 => format!("{base}[1:3]"),
        1 => "n[01:03]".to_owned(),
        2 => "x-[a:c]".to_owned(),
        3 => "s[0:6:3]".to_owned(),
        _ => base.to_owned(),
    };
    if p == "::1" {
        p = if r.chance(50) {
            "[::1]:2022".to_owned()
        } else {
            p
        };
    } else if r.chance(20) {
        p.push_str(&format!(":{}", r.pick(&["22", "2222", "0", "65535"])));
    }
    p
}

fn ini_host_line(r: &mut Rng) -> String {
    let mut line = host_pattern(r);
    for _ in 0..r.below(4) {
        line.push_str(&format!(
            " {}={}",
            r.pick(&VAR_NAMES),
            r.pick(&INI_HOST_VALUES)
        ));
    }
    if r.chance(15) {
        line.push_str(" # comment");
    }
    line
}

fn ini_error(r: &mut Rng) -> String {
    (*r.pick(&[
        "[bad section]",
        "[web:unknown]",
        "h x=1 y",
        "w[3:1:0]",
        "w[01:1]",
        "h x='open",
        "trailing:",
        "[missing:children]\nnot_declared_anywhere",
        "[ghost:vars]\nx=1",
    ]))
    .to_owned()
}

/// A random INI inventory.
pub(crate) fn random_ini(r: &mut Rng) -> String {
    let mut names: Vec<&str> = GROUPS.to_vec();
    r.shuffle(&mut names);
    let groups: Vec<&str> = names[..2 + r.below(5)].to_vec();
    let mut sections: Vec<String> = Vec::new();
    let mut top = String::new();
    for _ in 0..r.below(3) {
        top.push_str(&ini_host_line(r));
        top.push('\n');
    }
    for (i, g) in groups.iter().enumerate() {
        if r.chance(80) {
            let mut s = format!("[{g}]\n");
            for _ in 0..r.below(5) {
                s.push_str(&ini_host_line(r));
                s.push('\n');
            }
            sections.push(s);
        } else {
            // declared only through a children header (possibly empty)
            sections.push(format!("[{g}:children]\n"));
        }
        if r.chance(50) {
            let mut s = format!("[{g}:vars]\n");
            for _ in 0..1 + r.below(4) {
                let sp = if r.chance(30) { " " } else { "" };
                s.push_str(&format!(
                    "{}{sp}={sp}{}\n",
                    r.pick(&VAR_NAMES),
                    r.pick(&INI_VARS_VALUES)
                ));
            }
            if r.chance(15) {
                s.push_str(&format!(
                    "ansible_group_priority={}\n",
                    r.pick(&["1", "3", "'7'", "-2"])
                ));
            }
            sections.push(s);
        }
        let later = &groups[i + 1..];
        if !later.is_empty() && r.chance(45) {
            let mut s = format!("[{g}:children]\n");
            for _ in 0..1 + r.below(2) {
                let child: &&str = r.pick(later);
                s.push_str(child);
                s.push('\n');
            }
            sections.push(s);
        }
    }
    if r.chance(40) {
        let mut s = "[all:vars]\n".to_owned();
        for _ in 0..1 + r.below(3) {
            s.push_str(&format!(
                "{}={}\n",
                r.pick(&VAR_NAMES),
                r.pick(&INI_VARS_VALUES)
            ));
        }
        sections.push(s);
    }
    r.shuffle(&mut sections);
    if r.chance(12) {
        sections.push(format!("{}\n", ini_error(r)));
    }
    let mut text = top;
    for s in sections {
        if r.chance(30) {
            let filler: &&str = r.pick(&["\n", "# comment\n", "; semicolon comment\n", "   \n"]);
            text.push_str(filler);
        }
        text.push_str(&s);
    }
    text
}

fn yaml_host_key(r: &mut Rng) -> String {
    let p = host_pattern(r);
    if p.starts_with('[') || p.contains("::") || r.chance(10) {
        format!("'{p}'")
    } else {
        p
    }
}

fn yaml_vars(r: &mut Rng, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut s = String::new();
    for _ in 0..1 + r.below(4) {
        s.push_str(&format!(
            "{pad}{}: {}\n",
            r.pick(&VAR_NAMES),
            r.pick(&YAML_VALUES)
        ));
    }
    s
}

fn yaml_group(r: &mut Rng, groups: &[&str], idx: usize, indent: usize, depth: usize) -> String {
    let pad = " ".repeat(indent);
    let mut parts: Vec<String> = Vec::new();
    if r.chance(75) {
        let mut s = format!("{pad}hosts:\n");
        let n = r.below(4);
        if n == 0 {
            s = format!(
                "{pad}hosts: {}\n",
                if r.chance(50) {
                    yaml_host_key(r)
                } else {
                    "~".to_owned()
                }
            );
        }
        for _ in 0..n {
            let key = yaml_host_key(r);
            if r.chance(50) {
                s.push_str(&format!("{pad}  {key}:\n"));
            } else {
                s.push_str(&format!("{pad}  {key}:\n{}", yaml_vars(r, indent + 4)));
            }
        }
        parts.push(s);
    }
    if r.chance(45) {
        parts.push(format!("{pad}vars:\n{}", yaml_vars(r, indent + 2)));
    }
    let later = &groups[idx + 1..];
    if depth < 3 && !later.is_empty() && r.chance(50) {
        let mut s = format!("{pad}children:\n");
        for _ in 0..1 + r.below(2) {
            let ci = idx + 1 + r.below(later.len());
            let body = yaml_group(r, groups, ci, indent + 4, depth + 1);
            if body.is_empty() {
                s.push_str(&format!("{pad}  {}:\n", groups[ci]));
            } else {
                s.push_str(&format!("{pad}  {}:\n{body}", groups[ci]));
            }
        }
        parts.push(s);
    }
    if r.chance(8) {
        parts.push(format!("{pad}extra: {{a: 1}}\n"));
    }
    r.shuffle(&mut parts);
    parts.concat()
}

fn yaml_error(r: &mut Rng) -> String {
    (*r.pick(&[
        "bad:\n  hosts:\n    - a\n",
        "bad:\n  hosts:\n    h: [1]\n",
        "bad:\n  hosts:\n    123:\n",
        "bad:\n  vars: [1]\n",
        "bad:\n  hosts:\n    w[1:]:\n",
        "bad:\n  children:\n    nothing_here: 5\n",
    ]))
    .to_owned()
}

/// A random YAML inventory.
pub(crate) fn random_yaml(r: &mut Rng) -> String {
    let mut names: Vec<&str> = GROUPS.to_vec();
    r.shuffle(&mut names);
    let groups: Vec<&str> = names[..2 + r.below(5)].to_vec();
    let mut text = String::new();
    if r.chance(20) {
        text.push_str("---\n# generated\n");
    }
    if r.chance(50) {
        text.push_str("all:\n");
        if r.chance(50) {
            text.push_str(&format!("  vars:\n{}", yaml_vars(r, 4)));
        }
        text.push_str("  children:\n");
        for (i, g) in groups.iter().enumerate() {
            if i > 0 && r.chance(30) {
                continue;
            }
            let body = yaml_group(r, &groups, i, 6, 1);
            text.push_str(&format!("    {g}:\n{body}"));
        }
    } else {
        for (i, g) in groups.iter().enumerate() {
            let body = yaml_group(r, &groups, i, 2, 0);
            text.push_str(&format!("{g}:\n{body}"));
        }
    }
    if r.chance(12) {
        text.push_str(&yaml_error(r));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_are_deterministic_and_mostly_parse() {
        let mut ok = 0;
        for seed in 0..50 {
            let a = random_ini(&mut Rng::new(seed));
            assert_eq!(a, random_ini(&mut Rng::new(seed)));
            let b = random_yaml(&mut Rng::new(seed));
            ok += usize::from(crate::inventory::parse_inventory(&a).is_ok());
            ok += usize::from(crate::inventory::parse_inventory(&b).is_ok());
        }
        assert!(ok > 50, "only {ok} of 100 generated inventories parse");
    }
}
