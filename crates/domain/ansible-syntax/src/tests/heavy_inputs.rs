//! Small texts that ask the parsers to build far more than their size, and big
//! legitimate ones to hold them against. Shared by the bounds tests and
//! `examples/bounds.rs` (which times them and is run under `/usr/bin/time -v`), so both
//! measure the same inputs; std only for that reason.

use std::fmt::Write;

/// Issue 8's INI body: `groups` groups each holding `h[0:9999]` (17 KB for 1,000).
pub fn ini_group_fanout(groups: usize) -> String {
    (0..groups).fold(String::new(), |mut s, g| {
        let _ = write!(s, "[g{g}]\nh[0:9999]\n");
        s
    })
}

/// The same fan-out written as a YAML inventory.
pub fn yaml_group_fanout(groups: usize) -> String {
    (0..groups).fold(String::new(), |mut s, g| {
        let _ = write!(s, "g{g}:\n  hosts:\n    h[0:9999]:\n");
        s
    })
}

/// One group listing the same 10,000 hosts `lines` times: few hosts and memberships,
/// a lot of work.
pub fn ini_relisting(lines: usize) -> String {
    let mut s = String::from("[g]\n");
    for _ in 0..lines {
        s.push_str("h[0:9999]\n");
    }
    s
}

/// `hosts` thousand hosts under a chain of `depth` groups: every host inherits every
/// group of the chain.
pub fn ini_deep_chain(depth: usize, hosts: usize) -> String {
    let mut s = String::new();
    for i in 0..depth {
        let _ = write!(s, "[c{i}:children]\nc{}\n", i + 1);
    }
    let _ = writeln!(s, "[c{depth}]");
    for h in 0..hosts {
        let _ = writeln!(s, "h{h}x[0:999]");
    }
    s
}

/// `vars` variables on `all`, inherited by `hosts` thousand hosts.
pub fn ini_inherited_vars(vars: usize, hosts: usize) -> String {
    let mut s = String::from("[g]\n");
    for h in 0..hosts {
        let _ = writeln!(s, "h{h}x[0:999]");
    }
    s.push_str("[all:vars]\n");
    for v in 0..vars {
        let _ = writeln!(s, "v{v}=1");
    }
    s
}

/// Host lines of 10,000 hosts each that give every host a `entries`-entry dict.
pub fn ini_big_host_values(lines: usize, entries: usize) -> String {
    let dict: Vec<String> = (0..entries).map(|i| format!("{i}:{i}")).collect();
    let dict = dict.join(",");
    let mut s = String::from("[g]\n");
    for l in 0..lines {
        let _ = writeln!(s, "h{l}x[0:9999] big={{{dict}}}");
    }
    s
}

/// One group whose name is `len` bytes long, holding 100,000 hosts: every host keeps
/// the group's name among its groups.
pub fn ini_long_group_name(len: usize) -> String {
    let name = "g".repeat(len);
    let mut s = format!("[{name}]\n");
    for l in 0..10 {
        let _ = writeln!(s, "h{l}x[0:9999]");
    }
    s
}

/// A range whose every name is `len` bytes long.
pub fn ini_long_host_name(len: usize) -> String {
    format!("[g]\n{}[0:9999]\n", "x".repeat(len))
}

/// A YAML inventory whose hosts each take an anchored list of `items` elements.
pub fn yaml_aliased_host_vars(items: usize) -> String {
    let list = vec!["1"; items].join(", ");
    format!("g:\n  vars:\n    seed: &big [{list}]\n  hosts:\n    h[0:9999]:\n      copy: *big\n")
}

/// A chain of `depth` groups whose last one takes `wide` child groups that have
/// children of their own, so each link makes the loop check walk the whole chain.
pub fn ini_loop_check_walks(depth: usize, wide: usize) -> String {
    let mut s = String::new();
    for i in 0..depth {
        let _ = write!(s, "[c{i}:children]\nc{}\n", i + 1);
    }
    for w in 0..wide {
        let _ = write!(s, "[w{w}:children]\nleaf\n");
    }
    s.push_str("[leaf]\nh\n");
    let _ = writeln!(s, "[c{depth}:children]");
    for w in 0..wide {
        let _ = writeln!(s, "w{w}");
    }
    s
}

/// A big but ordinary inventory: `hosts` hosts spread over `groups` groups, each with
/// its own variables and a parent group, group variables and variables on `all`.
pub fn legit_inventory(hosts: usize, groups: usize) -> String {
    let mut s = String::new();
    for g in 0..groups {
        let _ = writeln!(s, "[g{g}]");
        for h in (g..hosts).step_by(groups) {
            let _ = writeln!(
                s,
                "host{h:05} ansible_host=10.{}.{}.{} rack={}",
                h / 65_536,
                (h / 256) % 256,
                h % 256,
                h % 40
            );
        }
        let _ = writeln!(s, "[g{g}:vars]\nrole=role{g}\nntp_servers=['ntp1', 'ntp2']");
    }
    s.push_str("[fleet:children]\n");
    for g in 0..groups {
        let _ = writeln!(s, "g{g}");
    }
    s.push_str("[all:vars]\nansible_user=deploy\ndomain=example.com\n");
    s
}

/// `MAX_HOSTS` hosts in one group, nothing else: the most hosts an inventory may have.
pub fn ini_most_hosts() -> String {
    let mut s = String::from("[g]\n");
    for l in 0..10 {
        let _ = writeln!(s, "h{l}x[0:9999]");
    }
    s
}

/// Issue 8's playbook task: a 5-level anchor fan-out (10 aliases a level) that is
/// ~290 bytes of YAML and 111,111 nodes once the aliases are expanded.
pub fn anchor_fanout_task() -> String {
    let mut s =
        String::from("name: fan\ndebug:\n  msg:\n    l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for l in 1..5 {
        let prev = format!("*l{}", l - 1);
        let items = [prev.as_str(); 10].join(", ");
        let _ = writeln!(s, "    l{l}: &l{l} [{items}]");
    }
    s
}

/// A list nested `depth` levels deep in flow style: 2 bytes a level in, but rendered in
/// block style each level is a line indented by its depth, so the output grows with
/// the square of the depth.
pub fn deep_nesting_task(depth: usize) -> String {
    format!(
        "name: deep\ndebug:\n  msg: {}x{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

/// An ordinary task.
pub fn normal_task(i: usize) -> String {
    format!(
        "name: Install package {i}\nansible.builtin.apt:\n  name: pkg{i}\n  state: present\nbecome: yes\nwhen: ansible_os_family == \"Debian\"\nloop: [a, b, c]\n"
    )
}

/// A `len`-byte string anchored once and aliased `uses` times: few nodes, many bytes.
pub fn yaml_string_aliases(len: usize, uses: usize) -> String {
    let aliases = vec!["*s"; uses].join(", ");
    format!(
        "g:\n  vars:\n    seed: &s \"{}\"\n    copies: [{aliases}]\n",
        "x".repeat(len)
    )
}

/// Near every cap at once and accepted: the most hosts, each in two groups and
/// inheriting nine variables, beside an empty hierarchy that takes almost the whole
/// walk.
pub fn near_every_cap() -> String {
    let mut s = ini_most_hosts();
    s.push_str("[parent:children]\ng\n[all:vars]\n");
    for v in 0..9 {
        let _ = writeln!(s, "v{v}={v}");
    }
    s + &ini_loop_check_walks(490, 1_000).replace("[leaf]\nh\n", "[leaf]\n")
}
