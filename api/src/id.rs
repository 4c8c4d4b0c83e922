//! Opaque global IDs (`Node.id`): base64url of `<Type>:<uuid>`.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::error::ApiError;

pub use oppvekstgraf_catalog::NodeType;

/// A decoded global ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalId {
    pub node_type: NodeType,
    pub uuid: Uuid,
}

impl GlobalId {
    pub fn new(node_type: NodeType, uuid: Uuid) -> Self {
        GlobalId { node_type, uuid }
    }

    /// The opaque form sent to clients.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}:{}", self.node_type.name(), self.uuid))
    }

    /// Decodes an opaque ID; `field` names the argument for the error.
    pub fn decode(field: &str, id: &str) -> Result<GlobalId, ApiError> {
        let invalid = || {
            ApiError::validation(
                field,
                format!("{id:?} is not a valid ID; use the `id` of a node"),
            )
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(id.trim_end_matches('='))
            .map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let (name, uuid) = text.split_once(':').ok_or_else(invalid)?;
        let node_type = NodeType::from_name(name).ok_or_else(invalid)?;
        let uuid = Uuid::parse_str(uuid).map_err(|_| invalid())?;
        Ok(GlobalId { node_type, uuid })
    }

    /// Decodes an ID that must be of `expected` type.
    pub fn decode_as(field: &str, id: &str, expected: NodeType) -> Result<Uuid, ApiError> {
        let gid = GlobalId::decode(field, id)?;
        if gid.node_type != expected {
            return Err(ApiError::validation(
                field,
                format!(
                    "expected the ID of a {}, got the ID of a {}",
                    expected.name(),
                    gid.node_type.name()
                ),
            ));
        }
        Ok(gid.uuid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let uuid = Uuid::new_v4();
        let gid = GlobalId::new(NodeType::LegalReference, uuid);
        assert_eq!(GlobalId::decode("id", &gid.encode()).ok(), Some(gid));
        assert!(GlobalId::decode("id", "not-base64!").is_err());
        assert!(GlobalId::decode("id", &URL_SAFE_NO_PAD.encode("Nope:1")).is_err());
        assert!(GlobalId::decode_as("id", &gid.encode(), NodeType::Plan).is_err());
    }
}
