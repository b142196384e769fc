//! Unit tests for every INI and YAML inventory feature and error case. Expected values
//! were checked against `ansible-inventory --list` (ansible-core 2.18).

use super::*;

fn inv(text: &str) -> Inventory {
    match parse_inventory(text) {
        Ok(i) => i,
        Err(e) => panic!("{text:?} should parse: {e}"),
    }
}

fn err(text: &str) -> InventoryError {
    match parse_inventory(text) {
        Ok(i) => panic!("{text:?} should fail, got {i:?}"),
        Err(e) => e,
    }
}

fn var<'a>(i: &'a Inventory, host: &str, key: &str) -> Option<&'a Value> {
    i.host(host).and_then(|h| h.vars.get(key))
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn groups(i: &Inventory, host: &str) -> Vec<String> {
    i.host(host)
        .map(|h| h.groups.iter().cloned().collect())
        .unwrap_or_default()
}

fn hostnames(i: &Inventory) -> Vec<String> {
    i.host_names()
}

// ------------------------------------------------------------------ INI

#[test]
fn ini_groups_and_ungrouped() {
    let i = inv("# top\nalpha\n\n[web]\nweb1\n; c\n[db]\ndb1\n");
    assert_eq!(i.format(), InventoryFormat::Ini);
    assert_eq!(hostnames(&i), ["alpha", "db1", "web1"]);
    assert_eq!(groups(&i, "alpha"), ["all", "ungrouped"]);
    assert_eq!(groups(&i, "web1"), ["all", "web"]);
    assert_eq!(i.group_names(), ["all", "db", "ungrouped", "web"]);
    let all = i.group("all").expect("all");
    assert_eq!(
        all.children.iter().cloned().collect::<Vec<_>>(),
        ["db", "ungrouped", "web"]
    );
}

#[test]
fn ini_empty_and_comment_only() {
    assert!(inv("").hosts().is_empty());
    assert!(inv("# nothing\n; here\n\n").hosts().is_empty());
}

#[test]
fn ini_host_ranges() {
    let i = inv("[web]\nweb[01:03]\ndb-[a:c]\nn[1:10:4]\nempty[5:1]\n");
    assert_eq!(
        hostnames(&i),
        [
            "db-a", "db-b", "db-c", "n1", "n5", "n9", "web01", "web02", "web03"
        ]
    );
}

#[test]
fn ini_port_shorthand() {
    let i = inv("web1:2222\n[::1]:23\n10.0.0.1:22 ansible_port=2200\nodd:abc\n");
    assert_eq!(var(&i, "web1", "ansible_port"), Some(&Value::Int(2222)));
    assert_eq!(var(&i, "::1", "ansible_port"), Some(&Value::Int(23)));
    // explicit ansible_port wins over the shorthand (set after)
    assert_eq!(var(&i, "10.0.0.1", "ansible_port"), Some(&Value::Int(2200)));
    // not a valid address with port: the whole token is the host name
    assert!(i.host("odd:abc").is_some());
}

#[test]
fn ini_port_only_applies_to_new_hosts() {
    let i = inv("[a]\nh:2222\n[b]\nh:3333\n");
    assert_eq!(var(&i, "h", "ansible_port"), Some(&Value::Int(2222)));
    let i = inv("h:0\n");
    assert_eq!(var(&i, "h", "ansible_port"), None);
}

#[test]
fn ini_host_var_literals() {
    let i = inv(concat!(
        "h a=1 b=-2 c=1.5 d=True e=false f=None g='x y' h=\"q w\" i=\"'1'\" j=0o17 k=010 l=1_000 ",
        "m=[1,2] n=\"{'k':'v'}\" o=yes p=a\\ b q= r=x=y\n"
    ));
    let h = |k: &str| var(&i, "h", k).cloned();
    assert_eq!(h("a"), Some(Value::Int(1)));
    assert_eq!(h("b"), Some(Value::Int(-2)));
    assert_eq!(h("c"), Some(Value::Float(1.5)));
    assert_eq!(h("d"), Some(Value::Bool(true)));
    assert_eq!(h("e"), Some(s("false")));
    assert_eq!(h("f"), Some(Value::Null));
    assert_eq!(h("g"), Some(s("x y")));
    assert_eq!(h("h"), Some(s("q w")));
    assert_eq!(h("i"), Some(s("1")));
    assert_eq!(h("j"), Some(Value::Int(15)));
    assert_eq!(h("k"), Some(s("010")));
    assert_eq!(h("l"), Some(Value::Int(1000)));
    assert_eq!(
        h("m"),
        Some(Value::List(vec![Value::Int(1), Value::Int(2)]))
    );
    assert_eq!(
        h("n"),
        Some(Value::Map([("k".to_owned(), s("v"))].into_iter().collect()))
    );
    assert_eq!(h("o"), Some(s("yes")));
    assert_eq!(h("p"), Some(s("a b")));
    assert_eq!(h("q"), Some(s("")));
    assert_eq!(h("r"), Some(s("x=y")));
}

#[test]
fn ini_quoted_strings_lose_their_quotes_in_host_lines() {
    // shlex removes the quotes before literal_eval: '22' becomes the int 22
    let i = inv("h x='22' y=\"a#b\"\n");
    assert_eq!(var(&i, "h", "x"), Some(&Value::Int(22)));
    assert_eq!(var(&i, "h", "y"), Some(&s("a#b")));
}

#[test]
fn ini_inline_comments() {
    let i = inv(
        "h1 x=1 # trailing\nh2#not-a-host-char x=2\nh3 x=a#b y=2\n[g:vars]\np=1 # c\nq=foo # c\n[g]\nh1\n",
    );
    assert_eq!(var(&i, "h1", "x"), Some(&Value::Int(1)));
    assert!(i.host("h2").is_some(), "{:?}", i.host_names());
    assert_eq!(var(&i, "h2", "x"), None);
    assert_eq!(var(&i, "h3", "x"), Some(&s("a")));
    assert_eq!(var(&i, "h3", "y"), None);
    assert_eq!(var(&i, "h1", "p"), Some(&Value::Int(1)));
    assert_eq!(var(&i, "h1", "q"), Some(&s("foo # c")));
}

#[test]
fn ini_group_vars_sections() {
    let i =
        inv("[g]\nh\n[g:vars]\na = 1\nb='x y'\nc=x y\nd=[1, 2]\ne=\nf=a=b\n[all:vars]\nz=top\n");
    assert_eq!(var(&i, "h", "a"), Some(&Value::Int(1)));
    assert_eq!(var(&i, "h", "b"), Some(&s("x y")));
    assert_eq!(var(&i, "h", "c"), Some(&s("x y")));
    assert_eq!(
        var(&i, "h", "d"),
        Some(&Value::List(vec![Value::Int(1), Value::Int(2)]))
    );
    assert_eq!(var(&i, "h", "e"), Some(&s("")));
    assert_eq!(var(&i, "h", "f"), Some(&s("a=b")));
    assert_eq!(var(&i, "h", "z"), Some(&s("top")));
    assert_eq!(
        i.group("g").and_then(|g| g.vars.get("a")),
        Some(&Value::Int(1))
    );
}

#[test]
fn ini_vars_before_group_declaration() {
    let i = inv("[g:vars]\nx=1\n[g]\nh\n");
    assert_eq!(var(&i, "h", "x"), Some(&Value::Int(1)));
}

#[test]
fn ini_children_and_precedence() {
    let text = "\
[all:vars]
v=all
a=all
[parent:vars]
v=parent
p=parent
[child:vars]
v=child
[parent:children]
child
[child]
h1
[other]
h1
[other:vars]
v=other
o=other
";
    let i = inv(text);
    assert_eq!(groups(&i, "h1"), ["all", "child", "other", "parent"]);
    // child (depth 2) beats other (depth 1) and parent (depth 1)
    assert_eq!(var(&i, "h1", "v"), Some(&s("child")));
    assert_eq!(var(&i, "h1", "p"), Some(&s("parent")));
    assert_eq!(var(&i, "h1", "o"), Some(&s("other")));
    assert_eq!(var(&i, "h1", "a"), Some(&s("all")));
    let parent = i.group("parent").expect("parent");
    assert!(parent.children.contains("child"));
    assert!(parent.hosts.is_empty());
}

#[test]
fn ini_same_depth_groups_sort_by_priority_then_name() {
    let i = inv("[b]\nh\n[a]\nh\n[a:vars]\nv=a\n[b:vars]\nv=b\n");
    assert_eq!(var(&i, "h", "v"), Some(&s("b")));
    let i = inv("[b]\nh\n[a]\nh\n[a:vars]\nv=a\nansible_group_priority=5\n[b:vars]\nv=b\n");
    assert_eq!(var(&i, "h", "v"), Some(&s("a")));
    assert_eq!(i.group("a").map(|g| g.priority), Some(5));
    assert_eq!(
        i.group("a")
            .and_then(|g| g.vars.get("ansible_group_priority")),
        None
    );
}

#[test]
fn ini_host_vars_beat_group_vars() {
    let i = inv("[g]\nh v=host\n[g:vars]\nv=group\n");
    assert_eq!(var(&i, "h", "v"), Some(&s("host")));
}

#[test]
fn ini_host_named_like_a_group_sets_group_vars() {
    let i = inv("[web]\nweb k=v\nother\n");
    assert_eq!(var(&i, "web", "k"), Some(&s("v")));
    assert_eq!(var(&i, "other", "k"), Some(&s("v")));
    assert_eq!(i.group("web").and_then(|g| g.vars.get("k")), Some(&s("v")));
    assert_eq!(
        i.warnings(),
        ["Found both group and host with same name: web"]
    );
}

#[test]
fn ini_nested_children_declared_later() {
    let i = inv("[a:children]\nb\n[b:children]\nc\n[c]\nh\n");
    assert_eq!(groups(&i, "h"), ["a", "all", "b", "c"]);
}

#[test]
fn ini_hosts_in_all_section_go_to_ungrouped() {
    let i = inv("[all]\nh\n[g]\nx\n");
    assert_eq!(groups(&i, "h"), ["all", "ungrouped"]);
    let i = inv("h\n[g]\nh\n");
    assert_eq!(groups(&i, "h"), ["all", "g"]);
    assert!(i.group("ungrouped").is_some_and(|g| g.hosts.is_empty()));
}

#[test]
fn ini_odd_but_valid_names() {
    let i = inv("[[odd]\nh\n[web#1]\nw\n[g:hosts]\nx\n");
    assert!(i.group("[odd").is_some());
    assert!(i.group("web#1").is_some());
    assert_eq!(groups(&i, "x"), ["all", "g"]);
}

#[test]
fn ini_crlf_and_whitespace() {
    let i = inv("[web]\r\n  web1   x=1  \r\n\t\r\n");
    assert_eq!(var(&i, "web1", "x"), Some(&Value::Int(1)));
}

fn err_at(text: &str, line: usize, needle: &str) {
    let e = err(text);
    assert_eq!(e.line, Some(line), "{text:?}: {e}");
    assert!(e.message.contains(needle), "{text:?}: {e}");
}

#[test]
fn ini_errors() {
    err_at("[web]\nh\n[web ]\n", 3, "Invalid section entry");
    err_at("[web]\n[web:]\n", 2, "Invalid section entry");
    err_at("h\n[web:nope]\n", 2, "has unknown type: nope");
    err_at(
        "[g]\nh\n[g:vars]\nnovalue\n",
        4,
        "Expected key=value, got: novalue",
    );
    err_at(
        "h x=1 y\n",
        1,
        "Expected key=value host variable assignment, got: y",
    );
    err_at("h x=1 ; y\n", 1, "got: ;");
    err_at("h x='1\n", 1, "No closing quotation");
    err_at("h\\\n", 1, "No escaped character");
    err_at("web[01:1]\n", 1, "equal-length");
    err_at("\n\nweb[1:]\n", 3, "end value");
    err_at("web[1:3:0]\n", 1, "must not be zero");
    err_at("web[c:a]\n", 1, "begin <= end");
    err_at("web[1:3\n", 1, "not enough values");
    err_at("web[1:100000]\n", 1, "more than 10000");
    err_at("[g]\nh\nhost:\n", 3, "ending in ':' is not allowed");
    err_at("---\n", 1, "'---' is normally a sign this is a YAML file");
    err_at(
        "[p:children]\nc\n",
        2,
        "Section [p:children] includes undefined group: c",
    );
    err_at(
        "h\n[g:vars]\nx=1\n",
        2,
        "Section [g:vars] not valid for undefined group: g",
    );
    err_at(
        "[p:children]\nweb db\n",
        2,
        "Expected group name, got: web db",
    );
    err_at("[g:vars]\nx={[1]: 2}\n[g]\n", 2, "unhashable type: 'list'");
    err_at(
        "[g]\nh\n[g:vars]\nansible_group_priority=high\n",
        4,
        "invalid literal for int()",
    );
    err_at(
        "[a:children]\nb\n[b:children]\na\n",
        4,
        "recursive dependency loop",
    );
    err_at("[a:children]\na\n[a]\n", 2, "can't add group to itself");
    err_at("''\n", 1, "Invalid empty host name");
}

#[test]
fn ini_children_naming_a_host_is_an_error() {
    err_at("h\n[p:children]\nh\n", 3, "includes undefined group: h");
}

#[test]
fn ini_all_as_child_is_a_loop() {
    let e = err("[foo:children]\nall\n");
    assert!(e.message.contains("recursive dependency loop"), "{e}");
}

// ------------------------------------------------------------------ YAML

#[test]
fn yaml_basic_structure() {
    let text = "\
all:
  vars:
    v: all
  hosts:
    top:
  children:
    web:
      hosts:
        web1:
          ansible_host: 10.0.0.1
        web2:
      vars:
        v: web
      children:
        canary:
          hosts:
            web1:
    db:
      hosts:
        db1: {}
";
    let i = inv(text);
    assert_eq!(i.format(), InventoryFormat::Yaml);
    assert_eq!(hostnames(&i), ["db1", "top", "web1", "web2"]);
    assert_eq!(groups(&i, "top"), ["all", "ungrouped"]);
    assert_eq!(groups(&i, "web1"), ["all", "canary", "web"]);
    assert_eq!(var(&i, "web1", "v"), Some(&s("web")));
    assert_eq!(var(&i, "db1", "v"), Some(&s("all")));
    assert_eq!(var(&i, "web1", "ansible_host"), Some(&s("10.0.0.1")));
}

#[test]
fn yaml_top_level_groups_and_ranges() {
    let i = inv("web:\n  hosts:\n    web[01:03]:\n    db-[a:b].example.com:2222:\n      x: 1\n");
    assert_eq!(
        hostnames(&i),
        [
            "db-a.example.com",
            "db-b.example.com",
            "web01",
            "web02",
            "web03"
        ]
    );
    assert_eq!(
        var(&i, "db-a.example.com", "ansible_port"),
        Some(&Value::Int(2222))
    );
    assert_eq!(var(&i, "db-b.example.com", "x"), Some(&Value::Int(1)));
    assert_eq!(groups(&i, "web01"), ["all", "web"]);
}

#[test]
fn yaml_scalars_follow_yaml_1_1() {
    let i = inv(
        "g:\n  hosts:\n    h:\n      a: yes\n      b: 'yes'\n      c: 0o17\n      d: 017\n      e: 1e3\n      f: 12:30\n      g: ~\n      h: 2001-12-14\n      i: [1, two]\n      j: {k: v}\n",
    );
    assert_eq!(var(&i, "h", "a"), Some(&Value::Bool(true)));
    assert_eq!(var(&i, "h", "b"), Some(&s("yes")));
    assert_eq!(var(&i, "h", "c"), Some(&s("0o17")));
    assert_eq!(var(&i, "h", "d"), Some(&Value::Int(15)));
    assert_eq!(var(&i, "h", "e"), Some(&s("1e3")));
    assert_eq!(var(&i, "h", "f"), Some(&Value::Int(750)));
    assert_eq!(var(&i, "h", "g"), Some(&Value::Null));
    assert_eq!(var(&i, "h", "h"), Some(&s("2001-12-14")));
    assert_eq!(
        var(&i, "h", "i"),
        Some(&Value::List(vec![Value::Int(1), s("two")]))
    );
}

#[test]
fn yaml_string_sections_and_nulls() {
    let i = inv("g:\n  hosts: single\n  children: kid\n  vars: flag\nkid:\n");
    assert!(i.host("single").is_some());
    assert!(i.group("g").is_some_and(|g| g.children.contains("kid")));
    assert_eq!(
        i.group("g").and_then(|g| g.vars.get("flag")),
        Some(&Value::Null)
    );
    let i = inv("g:\n  hosts:\n  vars:\n  children:\n");
    assert!(i.hosts().is_empty());
    assert!(i.group("g").is_some());
}

#[test]
fn yaml_children_can_name_existing_hosts() {
    // _parse_group skips the non-mapping body, then add_child finds the host
    let i = inv("a:\n  hosts:\n    h1:\nb:\n  children:\n    h1: 5\n");
    assert_eq!(groups(&i, "h1"), ["a", "all", "b"]);
}

#[test]
fn yaml_skips_unexpected_keys_with_warnings() {
    let i = inv("g:\n  hosts:\n    h:\n  extra: {x: 1}\n  note: text\nbad: [1]\n");
    assert_eq!(hostnames(&i), ["h"]);
    assert!(i.group("bad").is_none());
    assert_eq!(i.warnings().len(), 3, "{:?}", i.warnings());
}

#[test]
fn yaml_anchors_and_merge_keys() {
    let text = "\
all:
  vars:
    base: &base {user: deploy, port: 22}
  hosts:
    a:
      <<: *base
      port: 2222
    b: *base
";
    let i = inv(text);
    assert_eq!(var(&i, "a", "user"), Some(&s("deploy")));
    assert_eq!(var(&i, "a", "port"), Some(&Value::Int(2222)));
    assert_eq!(var(&i, "b", "port"), Some(&Value::Int(22)));
}

#[test]
fn yaml_unsafe_and_vault_values() {
    let i = inv(
        "g:\n  hosts:\n    h:\n      a: !unsafe '{{ x }}'\n      ansible_password: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        6162\n",
    );
    assert_eq!(var(&i, "h", "a"), Some(&Value::unsafe_string("{{ x }}")));
    assert!(var(&i, "h", "ansible_password").is_some_and(Value::is_vault));
}

#[test]
fn yaml_errors() {
    for (text, line, needle) in [
        (
            "all:\n  hosts:\n    - a\n",
            3,
            "Invalid \"hosts\" entry for \"all\" group",
        ),
        ("all:\n  vars: [1]\n", 2, "Invalid \"vars\" entry"),
        ("all:\n  children: 3\n", 2, "Invalid \"children\" entry"),
        ("all:\n  hosts:\n    h: [1]\n", 3, "expected dictionary"),
        ("all:\n  hosts:\n    h: text\n", 3, "expected dictionary"),
        ("all:\n  hosts:\n    123:\n", 3, "must be a string"),
        ("all:\n  hosts:\n    web[1:]:\n", 3, "end value"),
        ("all:\n  children:\n    1:\n", 3, "expected a string"),
        (
            "all:\n  children:\n    '':\n",
            3,
            "Invalid empty/false group name",
        ),
        (
            "all:\n  children:\n    nothing: 5\n",
            3,
            "nothing is not a known host nor group",
        ),
        // a gets `all` as child first; adding a under all then closes the loop
        (
            "all:\n  children:\n    a:\n      children:\n        all:\n",
            3,
            "Adding group 'a' as child to 'all'",
        ),
        ("all:\n  hosts:\n    '':\n", 3, "Invalid empty host name"),
        (
            "all:\n  vars:\n    ansible_group_priority: x\n",
            3,
            "invalid literal",
        ),
        ("all:\n  hosts:\n    h:\n      v: =\n", 4, "constructor"),
        (
            "all:\n  hosts:\n    h:\n      d: 2001-02-30\n",
            4,
            "day is out of range",
        ),
    ] {
        err_at(text, line, needle);
    }
}

#[test]
fn yaml_top_level_errors() {
    let e = err("plugin: constructed\nstrict: true\n");
    assert!(e.message.contains("Plugin configuration"), "{e}");
    let e = err("all:\n  hosts:\n    a:\n  - b\n");
    assert!(e.line.is_some(), "{e}");
    let e = err("all:\n  hosts: {}\n---\nweb:\n");
    assert_eq!(e.line, Some(3), "{e}");
    assert!(e.message.contains("single document"), "{e}");
    let e = parse_inventory_as("", InventoryFormat::Yaml).expect_err("empty yaml");
    assert!(e.message.contains("empty"), "{e}");
    let e = parse_inventory_as("- a\n", InventoryFormat::Yaml).expect_err("list");
    assert!(e.message.contains("dictionary"), "{e}");
    let e = parse_inventory_as("{}\n", InventoryFormat::Yaml).expect_err("empty map");
    assert!(e.message.contains("empty"), "{e}");
}

// ------------------------------------------------------------------ detection

#[test]
fn detection_rule() {
    assert_eq!(
        inv("web:\n  hosts:\n    a:\n").format(),
        InventoryFormat::Yaml
    );
    assert_eq!(inv("[web]\na\n").format(), InventoryFormat::Ini);
    // one line that YAML would read as a mapping, but whose value is not a group
    let i = inv("web1 msg=\"a: b\"\n");
    assert_eq!(i.format(), InventoryFormat::Ini);
    assert_eq!(var(&i, "web1", "msg"), Some(&s("a: b")));
    // a plain word is YAML scalar, INI host
    assert_eq!(inv("hostonly").format(), InventoryFormat::Ini);
    // valid in both: a YAML mapping of groups wins (ansible with `ini,yaml` order would
    // make "{a:1}" a host instead)
    assert_eq!(inv("{a:1}").format(), InventoryFormat::Yaml);
    assert_eq!(
        parse_inventory_as("{a:1}", InventoryFormat::Ini).map(|i| i.host_names()),
        Ok(vec!["{a:1}".to_owned()])
    );
}

#[test]
fn detection_picks_the_useful_error() {
    // YAML-looking text with a YAML syntax error reports the YAML error
    let e = err("all:\n  hosts:\n    a: [\n");
    assert!(!e.message.contains("ending in ':'"), "{e}");
    // INI-looking text reports the INI error
    let e = err("[web]\nh x\n");
    assert!(e.message.contains("Expected key=value"), "{e}");
    // a YAML mapping that is not all groups and not INI reports the YAML problem
    let e = err("all:\n  hosts: [a]\nnote: x\n");
    assert!(e.message.contains("Invalid \"hosts\" entry"), "{e}");
}

// ------------------------------------------------------------------ connection

#[test]
fn connection_variables() {
    let i = inv(concat!(
        "a ansible_host=10.0.0.1 ansible_port=2222 ansible_user=deploy ansible_password=s3cret ",
        "ansible_ssh_private_key_file=~/.ssh/id\n",
        "b ansible_ssh_host=10.0.0.2 ansible_host=ignored ansible_ssh_port='2200' ansible_ssh_user=u ansible_ssh_pass=p\n",
        "c\n",
        "d:2022 ansible_port=abc\n",
    ));
    let c = i.host("a").expect("a").connection();
    assert_eq!(c.address, "10.0.0.1");
    assert_eq!(c.port, 2222);
    assert_eq!(c.user.as_deref(), Some("deploy"));
    assert_eq!(c.password.as_deref(), Some("s3cret"));
    assert_eq!(c.private_key_file.as_deref(), Some("~/.ssh/id"));
    let dbg = format!("{c:?}");
    assert!(
        !dbg.contains("s3cret") && dbg.contains("<redacted>"),
        "{dbg}"
    );
    let host_dbg = format!("{:?}", i.host("a").expect("a"));
    assert!(!host_dbg.contains("s3cret"), "{host_dbg}");

    let c = i.host("b").expect("b").connection();
    assert_eq!(
        (
            c.address.as_str(),
            c.port,
            c.user.as_deref(),
            c.password.as_deref()
        ),
        ("10.0.0.2", 2200, Some("u"), Some("p"))
    );

    let c = i.host("c").expect("c").connection();
    assert_eq!(
        (
            c.address.as_str(),
            c.port,
            c.user.clone(),
            c.password.clone()
        ),
        ("c", 22, None, None)
    );

    let d = i.host("d").expect("d");
    assert_eq!(d.connection().port, 22);
    assert!(matches!(
        d.try_connection(),
        Err(ConnectionError::InvalidPort {
            var: "ansible_port",
            ..
        })
    ));
}

#[test]
fn connection_with_vault_and_unsafe() {
    let i = inv(
        "g:\n  hosts:\n    h:\n      ansible_host: !unsafe 'x.example'\n      ansible_password: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        6162\n",
    );
    let h = i.host("h").expect("h");
    assert_eq!(h.connection().address, "x.example");
    assert_eq!(h.connection().password, None);
    assert_eq!(
        h.try_connection(),
        Err(ConnectionError::VaultEncrypted {
            var: "ansible_password"
        })
    );
}

#[test]
fn names_for_prompts() {
    let i = inv("[web]\nb ansible_password=x\na\n");
    assert_eq!(i.host_names(), ["a", "b"]);
    assert_eq!(i.group_names(), ["all", "ungrouped", "web"]);
}
