//! `oppvekstgraf seed`: loads the seed content, or a deterministic synthetic graph for benchmarks.

use std::{path::PathBuf, process::ExitCode};

use oppvekstgraf_api::config::DatabaseConfig;

/// `seed --synthetic`: the shape of the synthetic graph (see `seed/README.md`).
#[derive(clap::Args, Debug)]
pub(super) struct SyntheticArgs {
    /// Write a deterministic synthetic graph (after the built-in seed content when the database is empty).
    /// The same arguments give the same rows; a second run with them writes nothing.
    #[arg(long)]
    pub(super) synthetic: bool,
    /// Synthetic municipalities, numbered from 6001 and added to the seed content's own.
    #[arg(long, default_value_t = 357, requires = "synthetic")]
    municipalities: usize,
    /// Plans of each synthetic municipality.
    #[arg(long, default_value_t = 20, requires = "synthetic")]
    plans_per_municipality: usize,
    /// Measures of each synthetic plan.
    #[arg(long, default_value_t = 25, requires = "synthetic")]
    measures_per_plan: usize,
    /// Units of each synthetic municipality (at least 3).
    #[arg(long, default_value_t = 30, requires = "synthetic")]
    units_per_municipality: usize,
    /// Seed of the random stream that picks names, titles and links.
    #[arg(long, default_value_t = 1, requires = "synthetic")]
    rng_seed: u64,
}

impl SyntheticArgs {
    /// The synthetic graph's parameters.
    fn params(&self) -> oppvekstgraf_seed::synthetic::Params {
        oppvekstgraf_seed::synthetic::Params {
            municipalities: self.municipalities,
            plans_per_municipality: self.plans_per_municipality,
            measures_per_plan: self.measures_per_plan,
            units_per_municipality: self.units_per_municipality,
            rng_seed: self.rng_seed,
        }
    }
}

/// Migrates `database` and loads the data files of `dir`, or the content built into the binary.
pub(super) async fn seed(
    database: &DatabaseConfig,
    dir: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let db = super::connect_migrated(database).await?;
    let content = match dir {
        Some(dir) => oppvekstgraf_seed::Content::from_dir(&dir)?,
        None => oppvekstgraf_seed::Content::builtin()?,
    };
    let report = oppvekstgraf_seed::load(&db, &content).await?;
    tracing::info!(%report, "seed content loaded");
    Ok(ExitCode::SUCCESS)
}

/// Migrates `database`, writes the synthetic graph of `args` and prints the summary.
pub(super) async fn seed_synthetic(
    database: &DatabaseConfig,
    args: &SyntheticArgs,
) -> anyhow::Result<ExitCode> {
    let db = super::connect_migrated(database).await?;
    let summary = oppvekstgraf_seed::synthetic::run(&db, &args.params()).await?;
    print!("{summary}");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::cli::{Cli, Command};

    #[test]
    fn synthetic_seed_flags() {
        let cli = Cli::try_parse_from(["oppvekstgraf", "seed", "--synthetic"]).expect("defaults");
        let Some(Command::Seed { synthetic, dir, .. }) = cli.command else {
            panic!("seed");
        };
        assert!(synthetic.synthetic && dir.is_none());
        assert_eq!(
            synthetic.params(),
            oppvekstgraf_seed::synthetic::Params::default()
        );
        let cli = Cli::try_parse_from([
            "oppvekstgraf",
            "seed",
            "--synthetic",
            "--municipalities",
            "3",
            "--plans-per-municipality",
            "2",
            "--measures-per-plan",
            "4",
            "--units-per-municipality",
            "5",
            "--rng-seed",
            "9",
        ])
        .expect("flags");
        let Some(Command::Seed { synthetic, .. }) = cli.command else {
            panic!("seed");
        };
        assert_eq!(
            synthetic.params(),
            oppvekstgraf_seed::synthetic::Params {
                municipalities: 3,
                plans_per_municipality: 2,
                measures_per_plan: 4,
                units_per_municipality: 5,
                rng_seed: 9,
            }
        );
        assert!(
            Cli::try_parse_from(["oppvekstgraf", "seed", "--municipalities", "3"]).is_err(),
            "the shape flags need --synthetic"
        );
        assert!(
            Cli::try_parse_from(["oppvekstgraf", "seed", "--synthetic", "--dir", "x"]).is_err(),
            "--dir loads data files, --synthetic generates"
        );
    }
}
