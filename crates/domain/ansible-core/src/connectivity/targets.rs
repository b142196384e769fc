//! From an inventory's text to what to probe: each host with its effective connection
//! variables (group and `all` variables applied by the parser), the server's defaults
//! filled in.

use super::probe::{Credentials, ProbeFailure, ProbeTarget};
use ansible_syntax::Value;
use ansible_syntax::inventory::{ConnectionError, Host, parse_inventory};
use std::path::PathBuf;
use std::time::Duration;

const PASSPHRASE_VAR: &str = "ansible_ssh_private_key_passphrase";
const CONNECTION_VARS: [&str; 1] = ["ansible_connection"];

/// What the service needs to know to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeDefaults {
    /// The user for hosts that name none (`HUB_SSH_DEFAULT_USER`).
    pub user: String,
    /// Per host, connect + handshake + auth (`HUB_SSH_TIMEOUT_SECS`).
    pub timeout: Duration,
}

/// One host of an inventory, and how to test it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedHost {
    pub name: String,
    pub address: String,
    pub port: u16,
    pub user: String,
    pub plan: Plan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// `ansible_connection=local`: no SSH; Ansible runs it on the controller.
    Local,
    /// Log in over SSH.
    Ssh(ProbeTarget),
    /// The variables cannot be used; the failure and why, without probing.
    Unusable(ProbeFailure, String),
}

/// The inventory's text does not parse (it did when it was stored; a parser change could
/// make it fail now). The message names no variable value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unparsable(pub String);

fn text_var(host: &Host, name: &str) -> Option<String> {
    match host.vars.get(name)? {
        Value::Null => None,
        v if v.is_vault() => None,
        v => v.as_str().map(str::to_owned),
    }
}

fn unusable(e: &ConnectionError) -> (ProbeFailure, String) {
    match e {
        ConnectionError::VaultEncrypted { var } if var.contains("pass") || var.contains("key") => (
            ProbeFailure::NoCredentials,
            format!("{var} is vault-encrypted and the hub holds no vault password"),
        ),
        other => (ProbeFailure::ConnectionFailed, other.to_string()),
    }
}

/// Every host of the inventory text, in the parser's (name) order.
pub fn plan_hosts(config: &str, defaults: &ProbeDefaults) -> Result<Vec<PlannedHost>, Unparsable> {
    let inventory = parse_inventory(config).map_err(|e| {
        // The parser's message may quote the text, and the text may hold passwords: only
        // the line number, if any, is safe to repeat.
        Unparsable(match e.line {
            Some(line) => format!("the inventory config does not parse (line {line})"),
            None => "the inventory config does not parse".to_owned(),
        })
    })?;
    Ok(inventory
        .hosts()
        .values()
        .map(|host| plan_host(host, defaults))
        .collect())
}

fn plan_host(host: &Host, defaults: &ProbeDefaults) -> PlannedHost {
    let fallback = host.connection();
    let user = fallback
        .user
        .clone()
        .unwrap_or_else(|| defaults.user.clone());
    let mut planned = PlannedHost {
        name: host.name.clone(),
        address: fallback.address.clone(),
        port: fallback.port,
        user: user.clone(),
        plan: Plan::Local,
    };
    let local = CONNECTION_VARS
        .iter()
        .find_map(|v| text_var(host, v))
        .is_some_and(|c| c.trim() == "local");
    if local {
        return planned;
    }
    planned.plan = match host.try_connection() {
        Err(e) => {
            let (failure, message) = unusable(&e);
            Plan::Unusable(failure, message)
        }
        Ok(connection) => Plan::Ssh(ProbeTarget {
            address: connection.address,
            port: connection.port,
            user,
            credentials: Credentials {
                password: connection.password,
                private_key_file: connection.private_key_file.map(PathBuf::from),
                key_passphrase: text_var(host, PASSPHRASE_VAR),
            },
            known_key: None,
            timeout: defaults.timeout,
        }),
    };
    planned
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn defaults() -> ProbeDefaults {
        ProbeDefaults {
            user: "root".into(),
            timeout: Duration::from_secs(5),
        }
    }

    fn ssh(host: &PlannedHost) -> &ProbeTarget {
        match &host.plan {
            Plan::Ssh(t) => t,
            other => panic!("expected an SSH plan, got {other:?}"),
        }
    }

    #[test]
    fn group_and_all_variables_apply_and_defaults_fill_the_rest() {
        let text = "[web]\nweb1 ansible_host=10.0.0.1\nweb2 ansible_ssh_port=2222 ansible_user=deploy\n\
                    [web:vars]\nansible_ssh_pass=pw\n\
                    [all:vars]\nansible_ssh_private_key_file=/k/id\n\
                    ansible_ssh_private_key_passphrase=phrase\n";
        let hosts = plan_hosts(text, &defaults()).unwrap();
        assert_eq!(hosts.len(), 2);
        let web1 = ssh(&hosts[0]);
        assert_eq!(
            (web1.address.as_str(), web1.port, web1.user.as_str()),
            ("10.0.0.1", 22, "root")
        );
        assert_eq!(web1.credentials.password.as_deref(), Some("pw"));
        assert_eq!(
            web1.credentials.private_key_file,
            Some(PathBuf::from("/k/id"))
        );
        assert_eq!(web1.credentials.key_passphrase.as_deref(), Some("phrase"));
        assert_eq!(web1.timeout, Duration::from_secs(5));
        let web2 = ssh(&hosts[1]);
        assert_eq!(
            (web2.address.as_str(), web2.port, web2.user.as_str()),
            ("web2", 2222, "deploy")
        );
        assert_eq!((hosts[1].port, hosts[1].user.as_str()), (2222, "deploy"));
    }

    #[test]
    fn local_connections_are_not_probed() {
        let hosts = plan_hosts("ctl ansible_connection=local\n", &defaults()).unwrap();
        assert_eq!(hosts[0].plan, Plan::Local);
        assert_eq!(hosts[0].address, "ctl");
    }

    #[test]
    fn unusable_variables_are_reported_without_probing() {
        let hosts = plan_hosts("h ansible_port=99999\n", &defaults()).unwrap();
        assert!(
            matches!(&hosts[0].plan, Plan::Unusable(ProbeFailure::ConnectionFailed, m) if m.contains("99999")),
            "{:?}",
            hosts[0].plan
        );
    }

    #[test]
    fn an_inventory_without_hosts_has_an_empty_plan() {
        assert_eq!(plan_hosts("[web]\n", &defaults()).unwrap(), Vec::new());
    }
}
