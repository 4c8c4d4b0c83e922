//! Mutations: create, update, publish, unpublish, archive, restore, restore a revision, link and unlink.
//! Each is one transaction that writes a revision with the change; inputs carry the `version` the client
//! saw, and a stale version gives CONFLICT.

mod content;
pub mod lifecycle;
mod registry;
mod sharing;
pub mod transaction;
#[macro_use]
pub mod links;

use async_graphql::MergedObject;

/// Defines the publication-state mutations of one node type.
macro_rules! lifecycle_mutations {
    (
        $mutation:ident, $entity:ident, $object:ident, $field:ident,
        [$publish:ident, $PublishInput:ident, $PublishPayload:ident],
        [$unpublish:ident, $UnpublishInput:ident, $UnpublishPayload:ident],
        [$archive:ident, $ArchiveInput:ident, $ArchivePayload:ident],
        [$restore:ident, $RestoreInput:ident, $RestorePayload:ident],
        [$restore_revision:ident, $RestoreRevisionInput:ident, $RestoreRevisionPayload:ident]
    ) => {
        lifecycle_mutations!(@io $object, $field, $PublishInput, $PublishPayload, "publish", "Publishes a draft: anonymous readers see it from now on.");
        lifecycle_mutations!(@io $object, $field, $UnpublishInput, $UnpublishPayload, "unpublish", "Takes a published node back to draft: anonymous readers no longer see it.");
        lifecycle_mutations!(@io $object, $field, $ArchiveInput, $ArchivePayload, "archive", "Archives a node (soft delete): it disappears for readers and can be restored.");
        lifecycle_mutations!(@io $object, $field, $RestoreInput, $RestorePayload, "restore", "Brings an archived node back as a draft.");

        #[doc = concat!("Input of `", stringify!($restore_revision), "`.")]
        #[derive(async_graphql::InputObject)]
        pub struct $RestoreRevisionInput {
            #[doc = concat!("Global ID of the ", stringify!($object), ".")]
            pub id: async_graphql::ID,
            /// ID of the revision whose `after` state to bring back (from the node's `revisions`).
            pub revision: async_graphql::ID,
            /// The version you saw; a newer one gives CONFLICT.
            pub version: i32,
        }

        #[doc = concat!("Result of `", stringify!($restore_revision), "`.")]
        #[derive(async_graphql::SimpleObject)]
        pub struct $RestoreRevisionPayload {
            #[doc = concat!("The ", stringify!($object), " as restored.")]
            pub $field: $crate::graphql::object::$object,
            /// The revision that records the restore.
            pub revision: $crate::graphql::object::revision::Revision,
        }

        #[doc = concat!("Publication-state mutations of ", stringify!($object), ".")]
        #[derive(Default)]
        pub struct $mutation;

        #[async_graphql::Object]
        impl $mutation {
            #[doc = concat!("Publishes a draft ", stringify!($object), ".")]
            async fn $publish(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "What to publish.")] input: $PublishInput) -> async_graphql::Result<$PublishPayload> {
                let (node, revision) = lifecycle_mutations!(@run ctx, $entity, input, $crate::graphql::mutation::lifecycle::Transition::Publish)?;
                Ok($PublishPayload { $field: node.into(), revision: revision.into() })
            }

            #[doc = concat!("Takes a published ", stringify!($object), " back to draft.")]
            async fn $unpublish(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "What to unpublish.")] input: $UnpublishInput) -> async_graphql::Result<$UnpublishPayload> {
                let (node, revision) = lifecycle_mutations!(@run ctx, $entity, input, $crate::graphql::mutation::lifecycle::Transition::Unpublish)?;
                Ok($UnpublishPayload { $field: node.into(), revision: revision.into() })
            }

            #[doc = concat!("Archives a ", stringify!($object), " (soft delete).")]
            async fn $archive(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "What to archive.")] input: $ArchiveInput) -> async_graphql::Result<$ArchivePayload> {
                let (node, revision) = lifecycle_mutations!(@run ctx, $entity, input, $crate::graphql::mutation::lifecycle::Transition::Archive)?;
                Ok($ArchivePayload { $field: node.into(), revision: revision.into() })
            }

            #[doc = concat!("Brings an archived ", stringify!($object), " back as a draft.")]
            async fn $restore(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "What to restore.")] input: $RestoreInput) -> async_graphql::Result<$RestorePayload> {
                let (node, revision) = lifecycle_mutations!(@run ctx, $entity, input, $crate::graphql::mutation::lifecycle::Transition::Restore)?;
                Ok($RestorePayload { $field: node.into(), revision: revision.into() })
            }

            #[doc = concat!("Brings a ", stringify!($object), " back to an earlier revision, as a new revision.")]
            async fn $restore_revision(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "The node, the revision and the version you saw.")] input: $RestoreRevisionInput) -> async_graphql::Result<$RestoreRevisionPayload> {
                use async_graphql::ErrorExtensions;
                use $crate::graphql::mutation::transaction::{Tx, node_id};
                let result: $crate::error::ApiResult<_> = async {
                    let id = node_id("input.id", &input.id, $crate::id::NodeType::$object)?;
                    let revision = node_id("input.revision", &input.revision, $crate::id::NodeType::Revision)?;
                    let tx = Tx::begin(ctx).await?;
                    let out = $crate::graphql::mutation::lifecycle::restore_revision::<oppvekstgraf_entity::$entity::Entity>(
                        &tx, id, revision, input.version,
                        |m, current, version, now| {
                            m.status = current.status;
                            m.created_at = current.created_at;
                            m.version = version;
                            m.updated_at = now;
                        },
                    ).await?;
                    tx.commit().await?;
                    Ok(out)
                }.await;
                let (node, revision) = result.map_err(|e| e.extend())?;
                Ok($RestoreRevisionPayload { $field: node.into(), revision: revision.into() })
            }
        }
    };
    (@io $object:ident, $field:ident, $Input:ident, $Payload:ident, $verb:literal, $what:literal) => {
        #[doc = concat!("Input of ", $verb, " for a ", stringify!($object), ". ", $what)]
        #[derive(async_graphql::InputObject)]
        pub struct $Input {
            #[doc = concat!("Global ID of the ", stringify!($object), ".")]
            pub id: async_graphql::ID,
            /// The version you saw; a newer one gives CONFLICT.
            pub version: i32,
        }

        #[doc = concat!("Result of ", $verb, " for a ", stringify!($object), ".")]
        #[derive(async_graphql::SimpleObject)]
        pub struct $Payload {
            #[doc = concat!("The ", stringify!($object), " after the change.")]
            pub $field: $crate::graphql::object::$object,
            /// The revision that records the change.
            pub revision: $crate::graphql::object::revision::Revision,
        }
    };
    (@run $ctx:ident, $entity:ident, $input:ident, $transition:expr) => {{
        use async_graphql::ErrorExtensions;
        use $crate::graphql::mutation::transaction::{Tx, node_id};
        let result: $crate::error::ApiResult<_> = async {
            let tx = Tx::begin($ctx).await?;
            let id = node_id("input.id", &$input.id, <oppvekstgraf_entity::$entity::Entity as $crate::loader::NodeTable>::NODE)?;
            let out = $crate::graphql::mutation::lifecycle::transition::<oppvekstgraf_entity::$entity::Entity>(
                &tx, id, $input.version, $transition,
                |m| m.status,
                |m, status, version, now| { m.status = status; m.version = version; m.updated_at = now; },
            ).await?;
            tx.commit().await?;
            Ok(out)
        }.await;
        result.map_err(|e| e.extend())
    }};
}

mod lifecycles {
    lifecycle_mutations!(
        MunicipalityLifecycle,
        municipality,
        Municipality,
        municipality,
        [
            municipality_publish,
            MunicipalityPublishInput,
            MunicipalityPublishPayload
        ],
        [
            municipality_unpublish,
            MunicipalityUnpublishInput,
            MunicipalityUnpublishPayload
        ],
        [
            municipality_archive,
            MunicipalityArchiveInput,
            MunicipalityArchivePayload
        ],
        [
            municipality_restore,
            MunicipalityRestoreInput,
            MunicipalityRestorePayload
        ],
        [
            municipality_restore_revision,
            MunicipalityRestoreRevisionInput,
            MunicipalityRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        RegionLifecycle,
        region,
        Region,
        region,
        [region_publish, RegionPublishInput, RegionPublishPayload],
        [
            region_unpublish,
            RegionUnpublishInput,
            RegionUnpublishPayload
        ],
        [region_archive, RegionArchiveInput, RegionArchivePayload],
        [region_restore, RegionRestoreInput, RegionRestorePayload],
        [
            region_restore_revision,
            RegionRestoreRevisionInput,
            RegionRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        PlanLifecycle,
        plan,
        Plan,
        plan,
        [plan_publish, PlanPublishInput, PlanPublishPayload],
        [plan_unpublish, PlanUnpublishInput, PlanUnpublishPayload],
        [plan_archive, PlanArchiveInput, PlanArchivePayload],
        [plan_restore, PlanRestoreInput, PlanRestorePayload],
        [
            plan_restore_revision,
            PlanRestoreRevisionInput,
            PlanRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        GoalLifecycle,
        goal,
        Goal,
        goal,
        [goal_publish, GoalPublishInput, GoalPublishPayload],
        [goal_unpublish, GoalUnpublishInput, GoalUnpublishPayload],
        [goal_archive, GoalArchiveInput, GoalArchivePayload],
        [goal_restore, GoalRestoreInput, GoalRestorePayload],
        [
            goal_restore_revision,
            GoalRestoreRevisionInput,
            GoalRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        MeasureLifecycle,
        measure,
        Measure,
        measure,
        [measure_publish, MeasurePublishInput, MeasurePublishPayload],
        [
            measure_unpublish,
            MeasureUnpublishInput,
            MeasureUnpublishPayload
        ],
        [measure_archive, MeasureArchiveInput, MeasureArchivePayload],
        [measure_restore, MeasureRestoreInput, MeasureRestorePayload],
        [
            measure_restore_revision,
            MeasureRestoreRevisionInput,
            MeasureRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        UnitLifecycle,
        unit,
        Unit,
        unit,
        [unit_publish, UnitPublishInput, UnitPublishPayload],
        [unit_unpublish, UnitUnpublishInput, UnitUnpublishPayload],
        [unit_archive, UnitArchiveInput, UnitArchivePayload],
        [unit_restore, UnitRestoreInput, UnitRestorePayload],
        [
            unit_restore_revision,
            UnitRestoreRevisionInput,
            UnitRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        LawLifecycle,
        law,
        Law,
        law,
        [law_publish, LawPublishInput, LawPublishPayload],
        [law_unpublish, LawUnpublishInput, LawUnpublishPayload],
        [law_archive, LawArchiveInput, LawArchivePayload],
        [law_restore, LawRestoreInput, LawRestorePayload],
        [
            law_restore_revision,
            LawRestoreRevisionInput,
            LawRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        LegalReferenceLifecycle,
        legal_reference,
        LegalReference,
        legal_reference,
        [
            legal_reference_publish,
            LegalReferencePublishInput,
            LegalReferencePublishPayload
        ],
        [
            legal_reference_unpublish,
            LegalReferenceUnpublishInput,
            LegalReferenceUnpublishPayload
        ],
        [
            legal_reference_archive,
            LegalReferenceArchiveInput,
            LegalReferenceArchivePayload
        ],
        [
            legal_reference_restore,
            LegalReferenceRestoreInput,
            LegalReferenceRestorePayload
        ],
        [
            legal_reference_restore_revision,
            LegalReferenceRestoreRevisionInput,
            LegalReferenceRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        GuidanceLifecycle,
        guidance,
        Guidance,
        guidance,
        [
            guidance_publish,
            GuidancePublishInput,
            GuidancePublishPayload
        ],
        [
            guidance_unpublish,
            GuidanceUnpublishInput,
            GuidanceUnpublishPayload
        ],
        [
            guidance_archive,
            GuidanceArchiveInput,
            GuidanceArchivePayload
        ],
        [
            guidance_restore,
            GuidanceRestoreInput,
            GuidanceRestorePayload
        ],
        [
            guidance_restore_revision,
            GuidanceRestoreRevisionInput,
            GuidanceRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        PublisherLifecycle,
        publisher,
        Publisher,
        publisher,
        [
            publisher_publish,
            PublisherPublishInput,
            PublisherPublishPayload
        ],
        [
            publisher_unpublish,
            PublisherUnpublishInput,
            PublisherUnpublishPayload
        ],
        [
            publisher_archive,
            PublisherArchiveInput,
            PublisherArchivePayload
        ],
        [
            publisher_restore,
            PublisherRestoreInput,
            PublisherRestorePayload
        ],
        [
            publisher_restore_revision,
            PublisherRestoreRevisionInput,
            PublisherRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        ConceptLifecycle,
        concept,
        Concept,
        concept,
        [concept_publish, ConceptPublishInput, ConceptPublishPayload],
        [
            concept_unpublish,
            ConceptUnpublishInput,
            ConceptUnpublishPayload
        ],
        [concept_archive, ConceptArchiveInput, ConceptArchivePayload],
        [concept_restore, ConceptRestoreInput, ConceptRestorePayload],
        [
            concept_restore_revision,
            ConceptRestoreRevisionInput,
            ConceptRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        ThemeLifecycle,
        theme,
        Theme,
        theme,
        [theme_publish, ThemePublishInput, ThemePublishPayload],
        [theme_unpublish, ThemeUnpublishInput, ThemeUnpublishPayload],
        [theme_archive, ThemeArchiveInput, ThemeArchivePayload],
        [theme_restore, ThemeRestoreInput, ThemeRestorePayload],
        [
            theme_restore_revision,
            ThemeRestoreRevisionInput,
            ThemeRestoreRevisionPayload
        ]
    );
    lifecycle_mutations!(
        TargetGroupLifecycle,
        target_group,
        TargetGroup,
        target_group,
        [
            target_group_publish,
            TargetGroupPublishInput,
            TargetGroupPublishPayload
        ],
        [
            target_group_unpublish,
            TargetGroupUnpublishInput,
            TargetGroupUnpublishPayload
        ],
        [
            target_group_archive,
            TargetGroupArchiveInput,
            TargetGroupArchivePayload
        ],
        [
            target_group_restore,
            TargetGroupRestoreInput,
            TargetGroupRestorePayload
        ],
        [
            target_group_restore_revision,
            TargetGroupRestoreRevisionInput,
            TargetGroupRestoreRevisionPayload
        ]
    );
}

/// Link mutations (merged in two groups: a merged object takes a bounded number of parts).
#[derive(MergedObject, Default)]
pub struct Links1(
    links::all::MeasureUnitLinks,
    links::all::MeasureLegalReferenceLinks,
    links::all::MeasureGuidanceLinks,
    links::all::MeasureThemeLinks,
    links::all::MeasureTargetGroupLinks,
    links::all::MeasureRelatedPlanLinks,
    links::all::PlanOwnerLinks,
    links::all::PlanLegalReferenceLinks,
    links::all::PlanGuidanceLinks,
);

/// More link mutations.
#[derive(MergedObject, Default)]
pub struct Links2(
    links::all::PlanThemeLinks,
    links::all::PlanTargetGroupLinks,
    links::all::PlanConceptLinks,
    links::all::UnitMemberLinks,
    links::all::GuidancePublisherLinks,
    links::all::GuidanceLegalReferenceLinks,
    links::all::GuidanceThemeLinks,
    links::all::GuidanceTargetGroupLinks,
    links::all::RegionMemberLinks,
    links::all::MunicipalityNeighbourLinks,
);

/// All root mutation fields.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    content::ContentMutation,
    registry::RegistryMutation,
    sharing::SharingMutation,
    Links1,
    Links2,
    lifecycles::MunicipalityLifecycle,
    lifecycles::RegionLifecycle,
    lifecycles::PlanLifecycle,
    lifecycles::GoalLifecycle,
    lifecycles::MeasureLifecycle,
    lifecycles::UnitLifecycle,
    lifecycles::LawLifecycle,
    lifecycles::LegalReferenceLifecycle,
    lifecycles::GuidanceLifecycle,
    lifecycles::PublisherLifecycle,
    lifecycles::ConceptLifecycle,
    lifecycles::ThemeLifecycle,
    lifecycles::TargetGroupLifecycle,
);
