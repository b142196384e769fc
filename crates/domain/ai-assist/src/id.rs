//! Conversation and message ids: a prefix and a UUIDv7 without dashes, unguessable and
//! roughly time-ordered (`conv-0190…`, `msg-0190…`).

use std::fmt;
use uuid::Uuid;

macro_rules! prefixed_id {
    ($name:ident, $prefix:literal, $what:literal) => {
        #[doc = concat!("The id of ", $what, ": `", $prefix, "` and 32 hex digits.")]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// A fresh id.
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, Uuid::now_v7().simple()))
            }

            /// The id in `raw`, or `None` when `raw` cannot be one (it then names nothing).
            pub fn parse(raw: &str) -> Option<Self> {
                let hex = raw.strip_prefix($prefix)?;
                let valid = hex.len() == 32
                    && hex
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
                valid.then(|| Self(raw.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

prefixed_id!(ConversationId, "conv-", "a conversation");
prefixed_id!(MessageId, "msg-", "a message");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_back_and_others_do_not() {
        let id = ConversationId::generate();
        assert!(id.as_str().starts_with("conv-"));
        assert_eq!(ConversationId::parse(id.as_str()), Some(id.clone()));
        assert_eq!(MessageId::parse(id.as_str()), None);
        assert_eq!(ConversationId::parse("conv-123456"), None);
        assert_eq!(
            ConversationId::parse("conv-0190ABCDEF0123456789abcdef012345"),
            None
        );
        let msg = MessageId::generate();
        assert_eq!(MessageId::parse(msg.as_str()), Some(msg));
    }
}
