//! `akashone-cloudstack-sim`: runs the CloudStack simulator on a local port.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use akashone_cloudstack_sim::{SimConfig, Simulator};
use clap::Parser;

/// A CloudStack API simulator with seeded data.
#[derive(Debug, Parser)]
#[command(name = "akashone-cloudstack-sim", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// Seed of the generated data and keys.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of virtual machines.
    #[arg(long, default_value_t = 20)]
    vms: usize,
    /// Number of zones.
    #[arg(long, default_value_t = 3)]
    zones: usize,
    /// Number of templates.
    #[arg(long, default_value_t = 8)]
    templates: usize,
    /// Number of domains besides ROOT.
    #[arg(long, default_value_t = 3)]
    domains: usize,
    /// Number of user accounts.
    #[arg(long, default_value_t = 6)]
    accounts: usize,
    /// Use the demo dataset (other sizes are ignored).
    #[arg(long)]
    demo: bool,
    /// Milliseconds a deploy or start takes.
    #[arg(long, default_value_t = 2000)]
    start_delay_ms: u64,
    /// Milliseconds other asynchronous jobs take.
    #[arg(long, default_value_t = 500)]
    job_delay_ms: u64,
    /// Milliseconds added to every response.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Probability of a random 5xx answer (0..1).
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Probability of a dropped connection (0..1).
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// VMs that may hold capacity in each zone.
    #[arg(long)]
    zone_capacity: Option<usize>,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let bind = SocketAddr::new(args.host, args.port);
    let config = if args.demo {
        SimConfig {
            bind,
            seed: args.seed,
            latency: Duration::from_millis(args.latency_ms),
            error_rate: args.error_rate,
            drop_rate: args.drop_rate,
            ..SimConfig::demo()
        }
    } else {
        SimConfig {
            seed: args.seed,
            zones: args.zones,
            templates: args.templates,
            vms: args.vms,
            domains: args.domains,
            accounts: args.accounts,
            start_delay: Duration::from_millis(args.start_delay_ms),
            job_delay: Duration::from_millis(args.job_delay_ms),
            latency: Duration::from_millis(args.latency_ms),
            error_rate: args.error_rate,
            drop_rate: args.drop_rate,
            bind,
            zone_capacity: args.zone_capacity,
            ..SimConfig::default()
        }
    };
    let started = std::time::Instant::now();
    let sim = match Simulator::start(config).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "CloudStack simulator ready in {} ms",
        started.elapsed().as_millis()
    );
    println!("URL:       {}", sim.url());
    println!("apiKey:    {}", sim.api_key());
    println!("secretKey: {}", sim.secret_key());
    for (name, api) in sim.kube_apis() {
        println!(
            "Kubernetes cluster {name}: API at {} (kubeconfig: getKubernetesClusterConfig)",
            api.url
        );
    }
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("cannot listen for Ctrl-C; stopping");
    }
    sim.shutdown().await;
}
