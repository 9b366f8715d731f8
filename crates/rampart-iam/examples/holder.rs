//! What the holder of some policy documents may do: `cargo run -p rampart-iam --example
//! holder -- policy.json...` reads each file as an identity-based policy of one role and
//! prints whether it is a full administrator, which IAM writes it has and which escalation
//! methods it holds, with the statements that give each.

use rampart_iam::access::Access;
use rampart_iam::{Caller, Named, Policies, Policy, Tri};

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: holder POLICY.json...");
        std::process::exit(2);
    }
    let mut policies = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        });
        match Policy::from_json(&text) {
            Ok(policy) => policies.push(policy),
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        }
    }
    let caller = Caller::role("aws", "123456789012", "holder");
    let held = Policies {
        identity: paths
            .iter()
            .zip(&policies)
            .map(|(name, policy)| Named { name, policy })
            .collect(),
        ..Policies::default()
    };
    let access = Access {
        caller: &caller,
        policies: &held,
    };
    if let Some(admin) = access.full_admin() {
        println!("full administrator: {:?}", admin.verdict);
    }
    println!("IAM writes: {}", access.iam_writes().len());
    for held in access.escalations() {
        let sure = if held.tri == Tri::Yes {
            ""
        } else {
            " (under a condition)"
        };
        println!(
            "{} {}{sure}: {}",
            held.method.id,
            held.method.permissions.join(" + "),
            held.method.how
        );
        for (permission, decision) in &held.permissions {
            for statement in &decision.statements {
                println!(
                    "    {permission}: {} statement {}",
                    statement.policy, statement.index
                );
            }
        }
    }
}
