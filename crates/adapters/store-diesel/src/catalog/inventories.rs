use super::error::classify;
use super::fold::fold;
use super::search::contains_pattern;
use crate::connection::{AnyConnection, Db};
use crate::decode;
use crate::dialect::db_run;
use crate::error::TxError;
use crate::page::load_page;
use crate::schema::inventories;
use crate::secrets::{CONFIG_COLUMN, Sealer};
use crate::store::DieselStore;
use ansible_core::catalog::{
    Inventory, InventoryDraft, InventoryId, InventoryQuery, InventoryRepository, Page, PowerStatus,
    SshStatus, StoreError,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = inventories)]
struct Row {
    id: i64,
    name: String,
    group_name: String,
    status: String,
    ssh_status: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    /// The config, sealed; the plaintext `config` column is kept empty.
    sealed_config: Option<String>,
    last_tested_at: Option<NaiveDateTime>,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = inventories)]
struct Values<'a> {
    name: &'a str,
    name_folded: String,
    group_name: &'a str,
    /// Always empty: the config lives sealed in `sealed_config`.
    config: &'static str,
    sealed_config: String,
    updated_at: NaiveDateTime,
}

impl<'a> Values<'a> {
    fn new(
        draft: &'a InventoryDraft,
        sealer: &Sealer,
        at: NaiveDateTime,
    ) -> Result<Self, TxError<StoreError>> {
        let sealed_config = sealer
            .seal(CONFIG_COLUMN, &draft.config)
            .map_err(|e| TxError::Domain(StoreError::Unavailable(e.to_string())))?;
        Ok(Values {
            name: &draft.name,
            name_folded: fold(&draft.name),
            group_name: &draft.group,
            config: "",
            sealed_config,
            updated_at: at,
        })
    }
}

fn record(row: Row, sealer: &Sealer) -> Result<Inventory, StoreError> {
    let corrupt = || StoreError::Unavailable(format!("unreadable row in inventories: {}", row.id));
    let sealed = row.sealed_config.as_deref().ok_or_else(corrupt)?;
    let config = sealer
        .open(CONFIG_COLUMN, sealed)
        .map_err(|e| StoreError::Unavailable(format!("inventory {}: {e}", row.id)))?;
    Ok(Inventory {
        id: InventoryId(row.id),
        status: PowerStatus::parse(&row.status).ok_or_else(corrupt)?,
        ssh_status: SshStatus::parse(&row.ssh_status).ok_or_else(corrupt)?,
        last_tested_at: row.last_tested_at.map(decode::utc),
        name: row.name,
        group: row.group_name,
        config,
        created_at: decode::utc(row.created_at),
        updated_at: decode::utc(row.updated_at),
    })
}

fn filtered(query: &InventoryQuery) -> inventories::BoxedQuery<'static, Db> {
    let mut q = inventories::table.into_boxed();
    if let Some(search) = query.search.as_deref() {
        q = q.filter(
            inventories::name_folded
                .like(contains_pattern(search))
                .escape('\\'),
        );
    }
    q
}

fn insert(
    conn: &mut AnyConnection,
    draft: &InventoryDraft,
    sealer: &Sealer,
) -> Result<Inventory, TxError<StoreError>> {
    let at = decode::now();
    let row = (
        inventories::status.eq(PowerStatus::Off.as_str()),
        inventories::ssh_status.eq(SshStatus::Unconnected.as_str()),
        inventories::created_at.eq(at.naive_utc()),
        Values::new(draft, sealer, at.naive_utc())?,
    );
    // diesel types RETURNING per backend: the same statement, built for each.
    let id: i64 = db_run!(conn, any(c) => {
        diesel::insert_into(inventories::table)
            .values(row)
            .returning(inventories::id)
            .get_result(c)
    })?;
    Ok(Inventory {
        id: InventoryId(id),
        name: draft.name.clone(),
        group: draft.group.clone(),
        config: draft.config.clone(),
        status: PowerStatus::Off,
        ssh_status: SshStatus::Unconnected,
        last_tested_at: None,
        created_at: at,
        updated_at: at,
    })
}

fn find(conn: &mut AnyConnection, id: InventoryId) -> QueryResult<Option<Row>> {
    inventories::table
        .find(id.0)
        .select(Row::as_select())
        .first(conn)
        .optional()
}

impl InventoryRepository for DieselStore {
    fn create_inventory(&self, draft: &InventoryDraft) -> Result<Inventory, StoreError> {
        self.write(|conn| insert(conn, draft, self.sealer()))
            .map_err(classify)
    }

    fn get_inventory(&self, id: InventoryId) -> Result<Option<Inventory>, StoreError> {
        self.read(|conn| {
            Ok(find(conn, id)?
                .map(|row| record(row, self.sealer()))
                .transpose()?)
        })
    }

    fn list_inventories(&self, query: &InventoryQuery) -> Result<Page<Inventory>, StoreError> {
        self.read(|conn| {
            let page = load_page(
                conn,
                crate::page::Total::Counted,
                || filtered(query),
                Ok,
                Row::as_select(),
                inventories::id.asc(),
                query.page.into(),
            )?;
            Ok(super::records(page, |row| record(row, self.sealer()))?)
        })
    }

    fn update_inventory(
        &self,
        id: InventoryId,
        draft: &InventoryDraft,
    ) -> Result<Option<Inventory>, StoreError> {
        self.write(|conn| {
            let Some(row) = find(conn, id)? else {
                return Ok(None);
            };
            let at = decode::now().max(decode::utc(row.created_at));
            let values = Values::new(draft, self.sealer(), at.naive_utc())?;
            diesel::update(inventories::table.find(id.0))
                .set(values)
                .execute(conn)?;
            let mut inventory = record(row, self.sealer())?;
            inventory.name = draft.name.clone();
            inventory.group = draft.group.clone();
            inventory.config = draft.config.clone();
            inventory.updated_at = at;
            Ok(Some(inventory))
        })
        .map_err(classify)
    }

    fn delete_inventory(&self, id: InventoryId) -> Result<bool, StoreError> {
        self.write(|conn| {
            // A job that waits or runs holds the inventory; a finished one does not (jobs
            // keep a snapshot, and outlive their inventory).
            // The row lock first (PostgreSQL): an enqueue on the inventory shares it, so
            // the count below sees every job enqueued before this delete.
            db_run!(conn,
                postgres(pg) => inventories::table
                    .find(id.0)
                    .select(inventories::id)
                    .for_update()
                    .load::<i64>(pg),
                sqlite(_lite) => Ok(Vec::new()),
            )?;
            let users = crate::jobs::inventory_users(conn, id)?;
            if users > 0 {
                return Err(StoreError::InUse(format!(
                    "inventory {id} is used by {users} queued or running job(s)"
                ))
                .into());
            }
            Ok(diesel::delete(inventories::table.find(id.0)).execute(conn)? > 0)
        })
        .map_err(classify)
    }
}
