//! `ssh_known_hosts`: one trusted key per (address, port). First sight is an insert that the
//! unique constraint lets only one writer win; the others read the winner's row.

use crate::connection::AnyConnection;
use crate::decode;
use crate::dialect::db_run;
use crate::error::TxError;
use crate::schema::ssh_known_hosts;
use crate::store::DieselStore;
use ansible_core::catalog::StoreError;
use ansible_core::connectivity::{
    HostKey, KnownHost, KnownHostId, KnownHostRepository, NewKnownHost,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::DatabaseErrorKind;

#[derive(Queryable, Selectable)]
#[diesel(table_name = ssh_known_hosts)]
struct Row {
    id: i64,
    address: String,
    port: i32,
    key_type: String,
    key_base64: String,
    fingerprint: String,
    first_seen_at: NaiveDateTime,
}

fn record(row: Row) -> Result<KnownHost, StoreError> {
    let port = u16::try_from(row.port).map_err(|_| {
        StoreError::Unavailable(format!("unreadable row in ssh_known_hosts: {}", row.id))
    })?;
    Ok(KnownHost {
        id: KnownHostId(row.id),
        address: row.address,
        port,
        key: HostKey {
            key_type: row.key_type,
            key_base64: row.key_base64,
            fingerprint: row.fingerprint,
        },
        first_seen_at: decode::utc(row.first_seen_at),
    })
}

fn find(conn: &mut AnyConnection, address: &str, port: u16) -> QueryResult<Option<Row>> {
    ssh_known_hosts::table
        .filter(ssh_known_hosts::address.eq(address))
        .filter(ssh_known_hosts::port.eq(i32::from(port)))
        .select(Row::as_select())
        .first(conn)
        .optional()
}

fn insert(conn: &mut AnyConnection, new: &NewKnownHost) -> Result<Row, TxError<StoreError>> {
    let values = (
        ssh_known_hosts::address.eq(&new.address),
        ssh_known_hosts::port.eq(i32::from(new.port)),
        ssh_known_hosts::key_type.eq(&new.key.key_type),
        ssh_known_hosts::key_base64.eq(&new.key.key_base64),
        ssh_known_hosts::fingerprint.eq(&new.key.fingerprint),
        ssh_known_hosts::first_seen_at.eq(new.seen_at.naive_utc()),
    );
    // diesel types RETURNING per backend: the same statement, built for each.
    let row = db_run!(conn, any(c) => {
        diesel::insert_into(ssh_known_hosts::table)
            .values(values)
            .returning(Row::as_returning())
            .get_result(c)
    })?;
    Ok(row)
}

impl KnownHostRepository for DieselStore {
    fn list_known_hosts(&self) -> Result<Vec<KnownHost>, StoreError> {
        self.read(|conn| {
            let rows = ssh_known_hosts::table
                .order(ssh_known_hosts::id.asc())
                .select(Row::as_select())
                .load(conn)?;
            Ok(rows.into_iter().map(record).collect::<Result<_, _>>()?)
        })
    }

    fn get_known_host(&self, address: &str, port: u16) -> Result<Option<KnownHost>, StoreError> {
        self.read(|conn| Ok(find(conn, address, port)?.map(record).transpose()?))
    }

    fn trust_first_seen(&self, new: &NewKnownHost) -> Result<KnownHost, StoreError> {
        let inserted = self.write(|conn| match find(conn, &new.address, new.port)? {
            Some(existing) => Ok(existing),
            None => insert(conn, new),
        });
        let row = match inserted {
            Ok(row) => row,
            // Another writer stored the endpoint's first key between our read and insert:
            // theirs is the trusted one. (A failed statement ends a PostgreSQL transaction,
            // so the winner is read in a new one.)
            Err(e) if matches!(e.violation(), Some((DatabaseErrorKind::UniqueViolation, _))) => {
                self.read(|conn| {
                    find(conn, &new.address, new.port)?.ok_or_else(|| {
                        TxError::Domain(StoreError::Unavailable(format!(
                            "known host {}:{} vanished after a conflicting insert",
                            new.address, new.port
                        )))
                    })
                })?
            }
            Err(e) => return Err(e.into_domain()),
        };
        record(row)
    }

    fn delete_known_host(&self, id: KnownHostId) -> Result<bool, StoreError> {
        self.write(|conn| {
            let deleted = diesel::delete(ssh_known_hosts::table.find(id.0)).execute(conn)?;
            Ok::<_, TxError<StoreError>>(deleted > 0)
        })
        .map_err(TxError::into_domain)
    }
}
