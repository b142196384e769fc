//! The served OpenAPI description marks as required exactly the fields and parameters that
//! seed 002's tables mark 必填 (是), and no other. The seed is kept byte for byte in
//! `tests/fixtures/seed-002.txt`; each of its `| 參數 | 類型 | 必填 | 說明 |` and
//! `| 欄位 | 類型 | 必填 | 說明 |` tables belongs to the endpoint (`**端點**: …`) of its section
//! and to the part of the request its label names: query parameters (`**查詢參數**`), path
//! parameters (`**路徑參數**`) or the JSON body (`**欄位說明**`, nested names as `main.hosts`
//! and `tasks[].content`).

use serde_json::Value;
use std::collections::BTreeSet;

const SEED: &str = include_str!("../fixtures/seed-002.txt");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Query,
    Path,
    Body,
}

#[derive(Debug)]
struct Row {
    name: String,
    required: bool,
}

#[derive(Debug)]
struct Table {
    line: usize,
    method: String,
    path: String,
    part: Part,
    rows: Vec<Row>,
}

impl Table {
    fn context(&self) -> String {
        format!(
            "seed line {}: {} {} {:?}",
            self.line, self.method, self.path, self.part
        )
    }
}

fn cells(line: &str) -> Vec<&str> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(str::trim)
        .collect()
}

fn is_required_table(line: &str) -> bool {
    let cells = cells(line);
    line.trim().starts_with('|')
        && cells.len() == 4
        && (cells[0] == "參數" || cells[0] == "欄位")
        && cells[2] == "必填"
}

/// `**端點**: `GET /inventories`` as (`get`, `/inventories`).
fn endpoint(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix("**端點**:")?;
    let inner = rest.trim().trim_matches('`');
    let (method, path) = inner.split_once(' ')?;
    Some((method.to_lowercase(), path.trim().to_owned()))
}

/// Every 必填 table of the seed, with its endpoint and the part of the request it describes.
fn tables(seed: &str) -> Vec<Table> {
    let lines: Vec<&str> = seed.lines().collect();
    let mut current: Option<(String, String)> = None;
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("## ") || line.starts_with("### ") {
            current = None;
        }
        if let Some(ep) = endpoint(line) {
            current = Some(ep);
        }
        if !is_required_table(line) {
            continue;
        }
        let label = lines[..i]
            .iter()
            .rev()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .unwrap_or_default();
        let part = match label {
            "**查詢參數**:" => Part::Query,
            "**路徑參數**:" => Part::Path,
            "**欄位說明**:" => Part::Body,
            other => panic!("seed line {}: a 必填 table under {other:?}", i + 1),
        };
        let (method, path) = current
            .clone()
            .unwrap_or_else(|| panic!("seed line {}: a 必填 table with no endpoint", i + 1));
        let rows = lines[i + 2..]
            .iter()
            .take_while(|l| l.trim().starts_with('|'))
            .map(|l| {
                let cells = cells(l);
                let required = match cells[2] {
                    "是" => true,
                    "否" => false,
                    other => panic!("seed line {}: 必填 is {other:?}", i + 1),
                };
                Row {
                    name: cells[0].to_owned(),
                    required,
                }
            })
            .collect();
        found.push(Table {
            line: i + 1,
            method,
            path,
            part,
            rows,
        });
    }
    found
}

fn spec() -> Value {
    serde_json::to_value(control_hub::openapi_document::<store_diesel::DieselStore>()).unwrap()
}

/// `/playbooks/jobs/{job_id}` and `/api/playbooks/jobs/{jobId}` alike: `/playbooks/jobs/{}`.
fn shape(path: &str) -> String {
    let path = path.strip_prefix("/api").unwrap_or(path);
    path.split('/')
        .map(|s| if s.starts_with('{') { "{}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

fn operation<'a>(spec: &'a Value, table: &Table) -> &'a Value {
    let paths = spec["paths"].as_object().unwrap();
    let (_, item) = paths
        .iter()
        .find(|(p, _)| shape(p) == shape(&table.path))
        .unwrap_or_else(|| panic!("{}: no such path described", table.context()));
    item.get(&table.method)
        .unwrap_or_else(|| panic!("{}: no such operation described", table.context()))
}

/// A schema with its `$ref`s followed and a nullable `oneOf` reduced to its other branch.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(name) = schema["$ref"].as_str() {
        let name = name.trim_start_matches("#/components/schemas/");
        return resolve(spec, &spec["components"]["schemas"][name]);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema[key].as_array() {
            let real: Vec<&Value> = branches.iter().filter(|b| b["type"] != "null").collect();
            assert_eq!(real.len(), 1, "one non-null branch in {schema}");
            return resolve(spec, real[0]);
        }
    }
    schema
}

/// `gather_facts` → `gatherFacts`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// The name the description gives a seed name: the same, or its camelCase spelling.
fn described_name(names: &[String], seed: &str) -> Option<String> {
    [seed.to_owned(), camel(seed)]
        .into_iter()
        .find(|candidate| names.contains(candidate))
}

fn property_names(object: &Value) -> Vec<String> {
    object["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The object schema at `parent` (`""`, `main`, `tasks[]`, `context`) of the body `root`.
fn object_at<'a>(spec: &'a Value, root: &'a Value, parent: &str) -> Result<&'a Value, String> {
    let mut current = root;
    for segment in parent.split('.').filter(|s| !s.is_empty()) {
        let (name, array) = match segment.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (segment, false),
        };
        let described = described_name(&property_names(current), name)
            .ok_or_else(|| format!("`{name}` is not described"))?;
        current = resolve(spec, &current["properties"][&described]);
        if array {
            current = resolve(spec, &current["items"]);
        }
    }
    Ok(current)
}

fn required_set(object: &Value) -> BTreeSet<String> {
    object["required"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The body's objects, each with the required set the seed gives it, against the description.
fn check_body(spec: &Value, op: &Value, table: &Table, wrong: &mut Vec<String>) {
    let schema = &op["requestBody"]["content"]["application/json"]["schema"];
    let root = resolve(spec, schema);
    let mut parents: Vec<&str> = Vec::new();
    for row in &table.rows {
        let parent = row.name.rsplit_once('.').map_or("", |(p, _)| p);
        if !parents.contains(&parent) {
            parents.push(parent);
        }
    }
    for parent in parents {
        let object = match object_at(spec, root, parent) {
            Ok(object) => object,
            Err(e) => {
                wrong.push(format!("{}: {e}", table.context()));
                continue;
            }
        };
        let names = property_names(object);
        let mut expected = BTreeSet::new();
        for row in &table.rows {
            let (row_parent, leaf) = row.name.rsplit_once('.').unwrap_or(("", &row.name));
            if row_parent != parent {
                continue;
            }
            match described_name(&names, leaf) {
                None => wrong.push(format!(
                    "{}: `{}` is not described",
                    table.context(),
                    row.name
                )),
                Some(name) if row.required => {
                    expected.insert(name);
                }
                Some(_) => {}
            }
        }
        let actual = required_set(object);
        if actual != expected {
            wrong.push(format!(
                "{}: the body at `{parent}` marks {actual:?} required, the seed {expected:?}",
                table.context()
            ));
        }
    }
}

/// Query and path parameters: each the seed lists as it marks it; no other one required.
fn check_parameters(op: &Value, table: &Table, wrong: &mut Vec<String>) {
    let place = match table.part {
        Part::Query => "query",
        _ => "path",
    };
    let params: Vec<&Value> = op["parameters"]
        .as_array()
        .map(|p| p.iter().filter(|p| p["in"] == place).collect())
        .unwrap_or_default();
    let required = |p: &Value| p["required"].as_bool().unwrap_or(false);
    if table.part == Part::Path {
        // Paths name their one parameter differently (`{job_id}` is `{jobId}`); by position.
        if params.len() != table.rows.len() {
            wrong.push(format!(
                "{}: {} path parameters",
                table.context(),
                params.len()
            ));
        }
        for (row, param) in table.rows.iter().zip(&params) {
            if required(param) != row.required {
                wrong.push(format!(
                    "{}: `{}` required differs",
                    table.context(),
                    row.name
                ));
            }
        }
        return;
    }
    let names: Vec<String> = params
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    let mut listed = Vec::new();
    for row in &table.rows {
        let Some(name) = described_name(&names, &row.name) else {
            wrong.push(format!(
                "{}: `{}` is not described",
                table.context(),
                row.name
            ));
            continue;
        };
        let param = params.iter().find(|p| p["name"] == name.as_str());
        if param.map(|p| required(p)) != Some(row.required) {
            wrong.push(format!(
                "{}: `{}` required differs",
                table.context(),
                row.name
            ));
        }
        listed.push(name);
    }
    for param in params.iter().filter(|p| required(p)) {
        let name = param["name"].as_str().unwrap_or_default().to_owned();
        if !listed.contains(&name) {
            wrong.push(format!(
                "{}: `{name}` is required, not in the seed",
                table.context()
            ));
        }
    }
}

#[test]
fn the_fixture_is_seed_002_and_its_tables_are_all_read() {
    let tables = tables(SEED);
    let count = |part| tables.iter().filter(|t| t.part == part).count();
    assert_eq!(
        (count(Part::Query), count(Part::Path), count(Part::Body)),
        (2, 8, 5),
        "{tables:#?}"
    );
    let execute = tables
        .iter()
        .find(|t| t.method == "post" && t.path == "/playbooks/execute")
        .expect("the execute table");
    let marks: Vec<(&str, bool)> = execute
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.required))
        .collect();
    assert_eq!(
        marks,
        [
            ("playbookIds", true),
            ("inventoryId", false),
            ("extraVars", false)
        ]
    );
    let playbook = tables
        .iter()
        .find(|t| t.method == "post" && t.path == "/playbooks")
        .expect("the playbook table");
    assert!(
        playbook
            .rows
            .iter()
            .any(|r| r.name == "tasks[].content" && r.required)
    );
}

#[test]
fn the_description_marks_required_exactly_what_seed_002_does() {
    let spec = spec();
    let mut wrong = Vec::new();
    for table in tables(SEED) {
        let op = operation(&spec, &table);
        match table.part {
            Part::Body => check_body(&spec, op, &table, &mut wrong),
            Part::Query | Part::Path => check_parameters(op, &table, &mut wrong),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
