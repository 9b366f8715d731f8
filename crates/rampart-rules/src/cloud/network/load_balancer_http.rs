use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Application load balancer listeners (`aws_lb_listener`, `aws_alb_listener`,
    /// `AWS::ElasticLoadBalancingV2::Listener`) on plain HTTP whose default action does not
    /// redirect to HTTPS.
    ///
    /// ## Why it matters
    /// Requests, cookies and session tokens then cross the internet in clear, readable and
    /// changeable by anyone on the path; a redirect keeps port 80 only to send clients to TLS.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_listener" "web" {
    ///   port     = 80
    ///   protocol = "HTTP"
    ///   default_action {
    ///     type             = "forward"
    ///     target_group_arn = aws_lb_target_group.web.arn
    ///   }
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   default_action {
    ///     type = "redirect"
    ///     redirect {
    ///       port        = "443"
    ///       protocol    = "HTTPS"
    ///       status_code = "HTTP_301"
    ///     }
    ///   }
    /// ```
    pub struct LoadBalancerHttp {
        code: "C406",
        name: "load-balancer-plain-http",
        title: "Load balancer serves plain HTTP",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![Cwe: ["CWE-319"]],
        equivalents: &["checkov:CKV_AWS_2", "trivy:AWS-0054", "tfsec:aws-elb-http-not-used"],
    }
}

impl Check<Resources> for LoadBalancerHttp {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let listener = target.resource;
        if !target.is(&["aws_lb_listener", "aws_alb_listener"]) {
            return;
        }
        if listener.str("protocol") != Some("HTTP") {
            return;
        }
        let actions = listener
            .get("default_action")
            .or_else(|| listener.get("default_actions"));
        let actions = actions.map(Value::items).unwrap_or(&[]);
        if actions.iter().any(|a| a.has_unknown()) {
            return;
        }
        let redirects = actions.iter().any(|action| {
            action.get("type").and_then(Value::as_str) == Some("redirect")
                && action
                    .at("redirect/protocol")
                    .or_else(|| action.at("redirect_config/protocol"))
                    .and_then(Value::as_str)
                    == Some("HTTPS")
        });
        if !redirects {
            hits.push(Hit::new(
                "/protocol",
                "the listener serves plain HTTP: listen with HTTPS, or redirect HTTP to it",
            ));
        }
    }
}
