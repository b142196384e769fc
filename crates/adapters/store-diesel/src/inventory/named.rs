//! Host groups and tenants: the two integer-keyed tables of name, description and status.

use super::decode;
use super::table::{StoredTable, table_sql};
use crate::connection::Db;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::resources::{HostGroupDraft, StatusFilter, TenantDraft};
use infra_inventory::values::{ActiveStatus, Name};
use infra_inventory::{StoreError, Stored};

/// One module per table, identical but for the table and the draft type.
macro_rules! named_table {
    ($module:ident, $table:ident, $draft:ident) => {
        mod $module {
            use super::*;
            use crate::schema::$table;

            #[derive(Queryable, Selectable)]
            #[diesel(table_name = $table)]
            pub(crate) struct Row {
                id: i64,
                name: String,
                description: Option<String>,
                status: String,
                created_at: NaiveDateTime,
                updated_at: NaiveDateTime,
            }

            #[derive(Insertable, AsChangeset)]
            #[diesel(table_name = $table, treat_none_as_null = true)]
            pub(crate) struct Values<'a> {
                name: &'a str,
                description: Option<&'a str>,
                status: &'a str,
                updated_at: NaiveDateTime,
            }

            impl StoredTable for $draft {
                type Row = Row;
                type Values<'a> = Values<'a>;
                type Filtered = $table::BoxedQuery<'static, Db>;

                fn values(&self, at: DateTime<Utc>) -> Values<'_> {
                    Values {
                        name: self.name.as_str(),
                        description: self.description.as_deref(),
                        status: self.status.as_str(),
                        updated_at: at.naive_utc(),
                    }
                }

                fn record(row: Row) -> Result<Stored<$draft>, StoreError> {
                    const T: &str = stringify!($table);
                    Ok(Stored {
                        id: row.id.into(),
                        fields: $draft {
                            name: decode::field(T, Name::parse("name", &row.name))?,
                            description: row.description,
                            status: decode::field(
                                T,
                                ActiveStatus::parse("status", Some(&row.status)),
                            )?,
                        },
                        created_at: decode::utc(row.created_at),
                        updated_at: decode::utc(row.updated_at),
                    })
                }

                fn filtered(f: &StatusFilter<ActiveStatus>) -> Self::Filtered {
                    let mut q = $table::table.into_boxed();
                    if let Some(status) = f.status {
                        q = q.filter($table::status.eq(status.as_str()));
                    }
                    q
                }
            }

            table_sql!($draft, $table, int);
        }
    };
}

named_table!(host_group, host_groups, HostGroupDraft);
named_table!(tenant, tenants, TenantDraft);
