use super::*;

#[test]
fn sqlstates() {
    assert_eq!(DbFault::of_sqlstate("57014"), DbFault::Timeout);
    assert_eq!(DbFault::of_sqlstate("55P03"), DbFault::Timeout);
    assert_eq!(DbFault::of_sqlstate("57P01"), DbFault::Unavailable);
    assert_eq!(DbFault::of_sqlstate("08006"), DbFault::Unavailable);
    assert_eq!(DbFault::of_sqlstate("53300"), DbFault::Unavailable);
    assert_eq!(DbFault::of_sqlstate("23505"), DbFault::Other);
    assert_eq!(DbFault::of_sqlstate("40001"), DbFault::Unavailable);
    assert_eq!(DbFault::of_sqlstate("40P01"), DbFault::Unavailable);
    assert_eq!(DbFault::of_sqlstate("23503"), DbFault::Other);
}

#[test]
fn unique_violations_name_the_input_field() {
    let violation = |table: &str, columns: &[&str]| UniqueViolation {
        table: table.into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
    };
    let field = |err: ApiError| match err {
        ApiError::Validation { field, .. } => field,
        other => panic!("not a validation error: {other:?}"),
    };
    assert_eq!(field(violation("measure", &["slug"]).error()), "input.slug");
    assert_eq!(
        field(violation("law", &["lovdata_id"]).error()),
        "input.lovdataId"
    );
    assert_eq!(
        field(violation("legal_reference", &["natural_key"]).error()),
        "input.section"
    );
    assert_eq!(
        field(violation("measure_theme", &["measure_id", "theme_id"]).error()),
        "input"
    );
}

#[test]
fn connection_errors_are_unavailable() {
    use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr};
    let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
    let io = DbErr::Query(RuntimeErr::SqlxError(std::sync::Arc::new(
        sea_orm::sqlx::Error::Io(refused),
    )));
    assert_eq!(ApiError::from(io).code(), "SERVICE_UNAVAILABLE");
    let acquire = DbErr::ConnectionAcquire(ConnAcquireErr::Timeout);
    assert_eq!(ApiError::from(acquire).code(), "SERVICE_UNAVAILABLE");
    let custom = DbErr::Custom("bug".into());
    assert_eq!(ApiError::from(custom).code(), "INTERNAL");
}

#[test]
fn question_mark_keeps_the_code_and_field() {
    fn resolver() -> async_graphql::Result<()> {
        Err(ApiError::validation("input.goal", "give a goal's ID"))?;
        Ok(())
    }
    let error = resolver().expect_err("fails");
    assert_eq!(error.message, "input.goal: give a goal's ID");
    let extensions = error.extensions.expect("extensions");
    assert_eq!(
        extensions.get("code"),
        Some(&async_graphql::Value::from("VALIDATION"))
    );
    assert_eq!(
        extensions.get("field"),
        Some(&async_graphql::Value::from("input.goal"))
    );
}
