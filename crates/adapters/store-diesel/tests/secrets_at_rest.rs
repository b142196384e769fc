//! Inventory configs are sealed at rest, a wrong key is a refusal to open (never garbage),
//! rotation re-seals everything, rows from before sealing are sealed on open, and name search
//! folds Unicode the same way on both stores.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use ansible_core::catalog::{InventoryDraft, InventoryQuery, InventoryRepository, PageRequest};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use store_diesel::DieselStore;
use store_diesel::secrets::SecretKey;

const CONFIG: &str = "web1 ansible_host=10.0.0.1 ansible_password=hunter2-secret";

fn open(url: &str, key: &SecretKey) -> Result<DieselStore, String> {
    support::open_keyed(url, key)
}

fn draft(name: &str) -> InventoryDraft {
    InventoryDraft::parse(Some(name.to_owned()), None, Some(CONFIG.to_owned())).unwrap()
}

/// What the database itself holds in the inventory rows' config columns.
#[derive(diesel::QueryableByName)]
struct Raw {
    #[diesel(sql_type = diesel::sql_types::Text)]
    config: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    sealed_config: Option<String>,
}

fn raw(url: &str) -> Vec<Raw> {
    let q = diesel::sql_query("SELECT config, sealed_config FROM inventories ORDER BY id");
    if let Some(path) = url.strip_prefix("sqlite://") {
        q.load(&mut SqliteConnection::establish(path).unwrap())
            .unwrap()
    } else {
        q.load(&mut PgConnection::establish(url).unwrap()).unwrap()
    }
}

fn execute(url: &str, sql: &str) {
    if let Some(path) = url.strip_prefix("sqlite://") {
        SqliteConnection::establish(path)
            .unwrap()
            .batch_execute(sql)
            .unwrap();
    } else {
        PgConnection::establish(url)
            .unwrap()
            .batch_execute(sql)
            .unwrap();
    }
}

fn search(store: &DieselStore, term: &str) -> Vec<String> {
    let query = InventoryQuery {
        search: Some(term.to_owned()),
        page: PageRequest {
            page: 1,
            per_page: 10,
        },
    };
    store
        .list_inventories(&query)
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.name)
        .collect()
}

fn secrets_are_sealed_and_keys_enforced(url: &str) {
    let key = SecretKey::generate();
    let store = open(url, &key).unwrap();
    let created = store.create_inventory(&draft("lab")).unwrap();
    assert_eq!(
        store.get_inventory(created.id).unwrap().unwrap().config,
        CONFIG
    );
    for row in raw(url) {
        assert_eq!(row.config, "");
        let sealed = row.sealed_config.unwrap();
        assert!(
            !sealed.contains("hunter2") && !sealed.contains("10.0.0.1"),
            "{sealed}"
        );
    }
    drop(store);

    // Another key: a clear refusal naming the setting, not garbage.
    let wrong = open(url, &SecretKey::generate()).unwrap_err();
    assert!(wrong.contains("HUB_SECRET_KEY"), "{wrong}");

    // Rotation: the new key opens everything, the old one nothing.
    let store = open(url, &key).unwrap();
    let new = SecretKey::generate();
    assert_eq!(store.rotate_secret_key(&new).unwrap(), 1);
    drop(store);
    assert!(open(url, &key).is_err());
    let store = open(url, &new).unwrap();
    assert_eq!(
        store.get_inventory(created.id).unwrap().unwrap().config,
        CONFIG
    );

    // A row as an older version wrote it (plaintext, no folded name) is sealed and folded on
    // the next open.
    execute(
        url,
        "UPDATE inventories SET config = 'legacy ansible_ssh_pass=old-pw', sealed_config = NULL, \
         name_folded = NULL",
    );
    drop(store);
    let store = open(url, &new).unwrap();
    let row = &raw(url)[0];
    assert_eq!(row.config, "");
    assert!(!row.sealed_config.as_deref().unwrap().contains("old-pw"));
    assert_eq!(
        store.get_inventory(created.id).unwrap().unwrap().config,
        "legacy ansible_ssh_pass=old-pw"
    );
    assert_eq!(search(&store, "LAB"), vec!["lab".to_owned()]);
}

fn search_folds_unicode(url: &str) {
    let store = open(url, &SecretKey::generate()).unwrap();
    for name in ["zzÉcole", "ΣΑΣ lab", "plain"] {
        store.create_inventory(&draft(name)).unwrap();
    }
    assert_eq!(search(&store, "zzÉcole"), vec!["zzÉcole".to_owned()]);
    assert_eq!(search(&store, "écOLE"), vec!["zzÉcole".to_owned()]);
    assert_eq!(search(&store, "σ"), vec!["ΣΑΣ lab".to_owned()]);
    assert_eq!(search(&store, "%"), Vec::<String>::new());
}

#[test]
fn sqlite_seals_secrets_and_enforces_keys() {
    let file = hub_testkit::SqliteFile::create();
    secrets_are_sealed_and_keys_enforced(&file.url);
}

#[test]
fn postgres_seals_secrets_and_enforces_keys() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    secrets_are_sealed_and_keys_enforced(&db.url);
}

#[test]
fn sqlite_search_folds_unicode() {
    let file = hub_testkit::SqliteFile::create();
    search_folds_unicode(&file.url);
}

#[test]
fn postgres_search_folds_unicode() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    search_folds_unicode(&db.url);
}
