//! Which publication states a request may see, and the SQL visibility condition each scope puts on rows.

use oppvekstgraf_entity::enums::Status;
use sea_orm::Value;
use uuid::Uuid;

use super::{NodeTable, ownership};
use crate::sql::Sql;

/// Which publication states a request may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scope {
    /// Anonymous readers, and editors who do not ask for a preview: published content only.
    #[default]
    Published,
    /// An editor's preview: published content, plus drafts and archived content their municipality owns.
    Municipality(Uuid),
    /// An admin's preview: everything.
    Everything,
    /// What was ever published: published and archived content (the sources of adoptions and copies, which
    /// keep resolving when their owner archives them).
    Released,
    /// [`Scope::Released`] plus what this municipality owns in any state.
    ReleasedOr(Uuid),
}

impl Scope {
    /// The visibility condition on `t` for rows of `T`.
    pub fn sql<T: NodeTable>(self) -> Sql {
        if !T::HAS_STATUS {
            return Sql::raw("1 = 1");
        }
        self.sql_of(T::NODE)
    }

    /// The visibility condition on `t` for rows of the node type `node` (which has a status).
    pub fn sql_of(self, node: crate::id::NodeType) -> Sql {
        let published = || {
            Sql::with(
                "t.status = ?",
                vec![Value::from(status_value(Status::Published))],
            )
        };
        let released = || {
            Sql::with(
                "t.status IN (?, ?)",
                vec![
                    Value::from(status_value(Status::Published)),
                    Value::from(status_value(Status::Archived)),
                ],
            )
        };
        let or_owned = |base: Sql, id: Uuid| match ownership::owned(node) {
            Some(owned) => {
                let mut sql = Sql::raw("(");
                sql.append(base);
                sql.push(" OR ");
                sql.append(Sql::with(owned, vec![id.into()]));
                sql.push(")");
                sql
            }
            None => base,
        };
        match self {
            Scope::Published => published(),
            Scope::Everything => Sql::raw("1 = 1"),
            Scope::Municipality(id) => or_owned(published(), id),
            Scope::Released => released(),
            Scope::ReleasedOr(id) => or_owned(released(), id),
        }
    }

    /// This scope widened to what was ever published: for the sources of adoptions and copies.
    pub fn released(self) -> Scope {
        match self {
            Scope::Published | Scope::Released => Scope::Released,
            Scope::Municipality(id) | Scope::ReleasedOr(id) => Scope::ReleasedOr(id),
            Scope::Everything => Scope::Everything,
        }
    }

    /// The municipality whose own content this scope shows in every state, if any.
    pub fn own_municipality(self) -> Option<Uuid> {
        match self {
            Scope::Municipality(id) | Scope::ReleasedOr(id) => Some(id),
            _ => None,
        }
    }
}

pub(super) fn status_value(status: Status) -> String {
    use sea_orm::ActiveEnum;
    status.to_value()
}
