use super::error::classify;
use super::search::{contains_pattern, lower};
use crate::connection::{AnyConnection, Db};
use crate::decode;
use crate::dialect::db_run;
use crate::error::TxError;
use crate::page::{Window, load_page};
use crate::schema::inventories;
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
    config: String,
    status: String,
    ssh_status: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = inventories)]
struct Values<'a> {
    name: &'a str,
    group_name: &'a str,
    config: &'a str,
    updated_at: NaiveDateTime,
}

fn record(row: Row) -> Result<Inventory, StoreError> {
    let corrupt = || StoreError::Unavailable(format!("unreadable row in inventories: {}", row.id));
    Ok(Inventory {
        id: InventoryId(row.id),
        status: PowerStatus::parse(&row.status).ok_or_else(corrupt)?,
        ssh_status: SshStatus::parse(&row.ssh_status).ok_or_else(corrupt)?,
        name: row.name,
        group: row.group_name,
        config: row.config,
        created_at: decode::utc(row.created_at),
        updated_at: decode::utc(row.updated_at),
    })
}

fn filtered(query: &InventoryQuery) -> inventories::BoxedQuery<'static, Db> {
    let mut q = inventories::table.into_boxed();
    if let Some(search) = query.search.as_deref() {
        q = q.filter(
            lower(inventories::name)
                .like(contains_pattern(search))
                .escape('\\'),
        );
    }
    q
}

fn insert(
    conn: &mut AnyConnection,
    draft: &InventoryDraft,
) -> Result<Inventory, TxError<StoreError>> {
    let at = decode::now();
    let row = (
        inventories::status.eq(PowerStatus::Off.as_str()),
        inventories::ssh_status.eq(SshStatus::Unconnected.as_str()),
        inventories::created_at.eq(at.naive_utc()),
        Values {
            name: &draft.name,
            group_name: &draft.group,
            config: &draft.config,
            updated_at: at.naive_utc(),
        },
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
        created_at: at,
        updated_at: at,
    })
}

impl InventoryRepository for DieselStore {
    fn create_inventory(&self, draft: &InventoryDraft) -> Result<Inventory, StoreError> {
        self.write(|conn| insert(conn, draft)).map_err(classify)
    }

    fn get_inventory(&self, id: InventoryId) -> Result<Option<Inventory>, StoreError> {
        self.read(|conn| {
            let row: Option<Row> = inventories::table
                .find(id.0)
                .select(Row::as_select())
                .first(conn)
                .optional()?;
            Ok(row.map(record).transpose()?)
        })
    }

    fn list_inventories(&self, query: &InventoryQuery) -> Result<Page<Inventory>, StoreError> {
        self.read(|conn| {
            let window = Window {
                offset: query.page.offset(),
                limit: query.page.limit(),
            };
            let (total, rows): (u64, Vec<Row>) = load_page(
                conn,
                || filtered(query),
                Row::as_select(),
                inventories::id.asc(),
                window,
            )?;
            let items = rows
                .into_iter()
                .map(record)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, total })
        })
    }

    fn update_inventory(
        &self,
        id: InventoryId,
        draft: &InventoryDraft,
    ) -> Result<Option<Inventory>, StoreError> {
        self.write(|conn| {
            let row: Option<Row> = inventories::table
                .find(id.0)
                .select(Row::as_select())
                .first(conn)
                .optional()?;
            let Some(row) = row else { return Ok(None) };
            let at = decode::now().max(decode::utc(row.created_at));
            let values = Values {
                name: &draft.name,
                group_name: &draft.group,
                config: &draft.config,
                updated_at: at.naive_utc(),
            };
            diesel::update(inventories::table.find(id.0))
                .set(values)
                .execute(conn)?;
            let mut inventory = record(row)?;
            inventory.name = draft.name.clone();
            inventory.group = draft.group.clone();
            inventory.config = draft.config.clone();
            inventory.updated_at = at;
            Ok(Some(inventory))
        })
        .map_err(classify)
    }

    fn delete_inventory(&self, id: InventoryId) -> Result<bool, StoreError> {
        self.write(|conn| Ok(diesel::delete(inventories::table.find(id.0)).execute(conn)? > 0))
            .map_err(classify)
    }
}
