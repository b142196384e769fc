//! The SSH connection settings of a host, resolved from its effective variables with
//! the precedence Ansible's `ssh` connection plugin uses: the older `ansible_ssh_*`
//! names win over the newer ones when both are set, null values count as unset.
//! Values are not templated: `{{ ... }}` comes back verbatim.

use std::fmt;

use super::Host;
use crate::python::num::{float_repr, parse_int};
use crate::value::Value;

/// Default SSH port.
pub const DEFAULT_SSH_PORT: u16 = 22;

const ADDRESS_VARS: [&str; 2] = ["ansible_ssh_host", "ansible_host"];
const PORT_VARS: [&str; 2] = ["ansible_ssh_port", "ansible_port"];
const USER_VARS: [&str; 2] = ["ansible_ssh_user", "ansible_user"];
const PASSWORD_VARS: [&str; 3] = [
    "ansible_ssh_password",
    "ansible_ssh_pass",
    "ansible_password",
];
const KEY_VARS: [&str; 2] = ["ansible_ssh_private_key_file", "ansible_private_key_file"];

/// Where and how to open an SSH connection to a host.
#[derive(Clone, PartialEq, Eq)]
pub struct Connection {
    /// `ansible_ssh_host` / `ansible_host`, else the inventory name.
    pub address: String,
    /// `ansible_ssh_port` / `ansible_port`, else 22.
    pub port: u16,
    /// `ansible_ssh_user` / `ansible_user`.
    pub user: Option<String>,
    /// `ansible_ssh_password` / `ansible_ssh_pass` / `ansible_password`.
    pub password: Option<String>,
    /// `ansible_ssh_private_key_file` / `ansible_private_key_file`.
    pub private_key_file: Option<String>,
}

impl fmt::Debug for Connection {
    /// Never prints the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("address", &self.address)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("private_key_file", &self.private_key_file)
            .finish()
    }
}

/// A connection variable that cannot be used as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionError {
    /// The port is not an integer in 1..=65535 (templated ports end up here too).
    InvalidPort {
        /// The variable it came from.
        var: &'static str,
        /// The value as written.
        value: String,
    },
    /// The value is a mapping or list where a string is needed.
    NotAString {
        /// The variable it came from.
        var: &'static str,
    },
    /// The value is `!vault` encrypted and we hold no vault password.
    VaultEncrypted {
        /// The variable it came from.
        var: &'static str,
    },
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectionError::InvalidPort { var, value } => {
                write!(f, "{var} is not a valid port: {value}")
            }
            ConnectionError::NotAString { var } => write!(f, "{var} must be a string"),
            ConnectionError::VaultEncrypted { var } => write!(f, "{var} is vault-encrypted"),
        }
    }
}

impl std::error::Error for ConnectionError {}

/// How Python's `str()` shows a scalar, which is what Ansible passes on.
fn scalar_text(var: &'static str, v: &Value) -> Result<String, ConnectionError> {
    if v.is_vault() {
        return Err(ConnectionError::VaultEncrypted { var });
    }
    match v {
        Value::Bool(true) => Ok("True".to_owned()),
        Value::Bool(false) => Ok("False".to_owned()),
        Value::Int(i) => Ok(i.to_string()),
        Value::Float(x) => Ok(float_repr(*x)),
        other => other
            .as_str()
            .map(str::to_owned)
            .ok_or(ConnectionError::NotAString { var }),
    }
}

impl Host {
    /// The first of `names` that is set to something other than null.
    fn first_var<'a>(&'a self, names: &[&'static str]) -> Option<(&'static str, &'a Value)> {
        names.iter().find_map(|n| {
            self.vars
                .get(*n)
                .filter(|v| !matches!(v, Value::Null))
                .map(|v| (*n, v))
        })
    }

    fn text_var(&self, names: &[&'static str]) -> Result<Option<String>, ConnectionError> {
        self.first_var(names)
            .map(|(n, v)| scalar_text(n, v))
            .transpose()
    }

    fn port(&self) -> Result<u16, ConnectionError> {
        let Some((var, value)) = self.first_var(&PORT_VARS) else {
            return Ok(DEFAULT_SSH_PORT);
        };
        if value.is_vault() {
            return Err(ConnectionError::VaultEncrypted { var });
        }
        let invalid = || ConnectionError::InvalidPort {
            var,
            value: value.to_string(),
        };
        let n = match value {
            Value::Int(i) => i128::from(*i),
            #[allow(clippy::cast_possible_truncation)]
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e6 => *f as i128,
            other => other
                .as_str()
                .ok_or_else(invalid)
                .and_then(|s| parse_int(s).map_err(|_| invalid()))?,
        };
        u16::try_from(n)
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(invalid)
    }

    /// The connection settings, or why one of them is unusable.
    pub fn try_connection(&self) -> Result<Connection, ConnectionError> {
        Ok(Connection {
            address: self
                .text_var(&ADDRESS_VARS)?
                .unwrap_or_else(|| self.name.clone()),
            port: self.port()?,
            user: self.text_var(&USER_VARS)?,
            password: self.text_var(&PASSWORD_VARS)?,
            private_key_file: self.text_var(&KEY_VARS)?,
        })
    }

    /// The connection settings, degrading gracefully: an unusable port becomes 22 and
    /// an unusable (e.g. vault-encrypted) address, user, password or key is treated as
    /// unset. Use [`Host::try_connection`] to report such problems instead.
    #[must_use]
    pub fn connection(&self) -> Connection {
        let text = |names: &[&'static str]| self.text_var(names).ok().flatten();
        Connection {
            address: text(&ADDRESS_VARS).unwrap_or_else(|| self.name.clone()),
            port: self.port().unwrap_or(DEFAULT_SSH_PORT),
            user: text(&USER_VARS),
            password: text(&PASSWORD_VARS),
            private_key_file: text(&KEY_VARS),
        }
    }
}
