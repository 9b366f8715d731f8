//! Lookups across the objects of one scan, built once so that rules looking from one object to
//! another (a pod to its ServiceAccount, a Role to who is bound to it) stay linear in the size
//! of the input.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use rampart_core::Diagnostic;
use rampart_source::Object;

use crate::components::ControlPlaneFiles;
use crate::mesh::{Mesh, MeshOptions};
use crate::netpol::{Exposure, Netpol, is_policy};
use crate::placement::Placement;
use crate::position::index_in;
use crate::rbac::escalation::{RuleFlags, has_aws_auth};
use crate::rbac::{BindingId, RbacModel, RbacOptions, RoleId, RoleKind};

/// Indexes of the scanned objects by identity.
#[derive(Debug, Default)]
pub struct ClusterIndex<'a> {
    objects: &'a [Object],
    service_accounts: HashMap<(Option<&'a str>, &'a str), &'a Object>,
    /// Built on first use, once per scan, by whichever rule asks first.
    rbac: OnceLock<Rbac>,
    /// Where workloads may run, with its diagnostics; built on first use.
    placement: OnceLock<(Placement, Vec<Diagnostic>)>,
    /// The network policy analysis, built on first use by the network or the mesh rules.
    netpol: OnceLock<Exposure>,
    /// Whether the scan holds a NetworkPolicy or admin network policy.
    has_policies: OnceLock<bool>,
    namespaces: OnceLock<Namespaces>,
    /// The service mesh with its diagnostics; built on first use.
    mesh: OnceLock<(Mesh, Vec<Diagnostic>)>,
    /// Built with the index: a cell would make the index invariant in `'a`, which the rules'
    /// shorter borrows of it cannot accept; the pass only looks into pods.
    control_plane_files: ControlPlaneFiles<'a>,
}

/// The namespaces of a scan: those declared by Namespace objects, and where the workloads of
/// each are.
#[derive(Debug, Default)]
struct Namespaces {
    declared: HashSet<String>,
    /// The index of the first object running pods in each namespace (objects without a
    /// namespace are in `default`), in input order.
    first_workload: BTreeMap<String, usize>,
}

impl Namespaces {
    fn new(objects: &[Object]) -> Namespaces {
        let mut namespaces = Namespaces::default();
        for (index, object) in objects.iter().enumerate() {
            if object.kind == "Namespace" && object.api_version == "v1" {
                namespaces.declared.insert(object.name.clone());
            } else if crate::workload::pod_template(object).is_some()
                && object.kind != "PodTemplate"
            {
                let namespace = object.namespace.as_deref().unwrap_or("default");
                namespaces
                    .first_workload
                    .entry(namespace.to_owned())
                    .or_insert(index);
            }
        }
        namespaces
    }
}

/// The scan's RBAC model (with the defaults every cluster has) and what the `K2xx` rules ask
/// of it.
#[derive(Debug)]
pub struct Rbac {
    pub model: RbacModel,
    pub flags: RuleFlags,
    /// The input is an EKS cluster's (it holds the aws-auth ConfigMap).
    pub eks: bool,
    /// Bindings by (kind, namespace, name), as declared.
    bindings: HashMap<(String, String, String), BindingId>,
}

impl Rbac {
    fn new(objects: &[Object]) -> Rbac {
        let model = RbacModel::build(objects, &RbacOptions::default());
        let flags = RuleFlags::new(&model);
        let bindings = model
            .bindings()
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.builtin)
            .map(|(id, b)| {
                let key = (
                    b.kind.as_str().to_owned(),
                    b.namespace.clone(),
                    b.name.clone(),
                );
                (key, id)
            })
            .collect();
        Rbac {
            model,
            flags,
            eks: has_aws_auth(objects),
            bindings,
        }
    }

    /// The role `object` declares, when it is a Role or ClusterRole of the model (and not a
    /// duplicate the model replaced).
    pub fn role_of(&self, object: &Object) -> Option<RoleId> {
        let kind = match object.kind.as_str() {
            "Role" => RoleKind::Role,
            "ClusterRole" => RoleKind::ClusterRole,
            _ => return None,
        };
        let id = self.model.find_role(
            kind,
            object.namespace.as_deref().unwrap_or("default"),
            &object.name,
        )?;
        let role = self.model.role(id);
        (!role.builtin
            && *role.location.path == *object.path
            && role.location.line == object.root.span.line)
            .then_some(id)
    }

    /// The binding `object` declares, when it is a RoleBinding or ClusterRoleBinding.
    pub fn binding_of(&self, object: &Object) -> Option<BindingId> {
        let namespace = match object.kind.as_str() {
            "RoleBinding" => object.namespace.as_deref().unwrap_or("default"),
            "ClusterRoleBinding" => "",
            _ => return None,
        };
        let key = (
            object.kind.clone(),
            namespace.to_owned(),
            object.name.clone(),
        );
        let id = *self.bindings.get(&key)?;
        let location = &self.model.binding(id).location;
        (*location.path == *object.path && location.line == object.root.span.line).then_some(id)
    }
}

impl<'a> ClusterIndex<'a> {
    pub fn new(objects: &'a [Object]) -> ClusterIndex<'a> {
        let service_accounts = objects
            .iter()
            .filter(|o| o.kind == "ServiceAccount" && o.api_version == "v1")
            .map(|o| ((o.namespace.as_deref(), o.name.as_str()), o))
            .collect();
        ClusterIndex {
            objects,
            service_accounts,
            rbac: OnceLock::new(),
            placement: OnceLock::new(),
            netpol: OnceLock::new(),
            has_policies: OnceLock::new(),
            namespaces: OnceLock::new(),
            mesh: OnceLock::new(),
            control_plane_files: ControlPlaneFiles::new(objects),
        }
    }

    /// The RBAC model of the scan, built on first use.
    pub fn rbac(&self) -> &Rbac {
        self.rbac.get_or_init(|| Rbac::new(self.objects))
    }

    /// The problems the engines that were built found in their input: RBAC (bindings to
    /// missing roles, malformed rules; only when the scan holds RBAC objects, so that the
    /// model is not built for nothing), and placement, mesh and network policies when a rule
    /// built them (building a model only to report its input would cost every scan it), and
    /// the control plane's configuration files.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let has_rbac = self
            .objects
            .iter()
            .any(|o| o.api_version.starts_with(crate::rbac::RBAC_GROUP));
        let rbac = has_rbac.then(|| self.rbac().model.diagnostics());
        let placement = self.placement.get().map(|(_, found)| found.as_slice());
        let mesh = self.mesh.get().map(|(_, found)| found.as_slice());
        let netpol = self
            .netpol
            .get()
            .filter(|_| self.has_policies())
            .map(|exposure| exposure.diagnostics.as_slice());
        [rbac, placement, mesh, netpol]
            .into_iter()
            .flatten()
            .flatten()
            .chain(self.control_plane_files.errors())
            .cloned()
            .collect()
    }

    fn placement_and_diagnostics(&self) -> &(Placement, Vec<Diagnostic>) {
        self.placement.get_or_init(|| Placement::new(self.objects))
    }

    /// Where the scan's workloads may run, built on first use.
    pub fn placement(&self) -> &Placement {
        &self.placement_and_diagnostics().0
    }

    fn mesh_and_diagnostics(&self, options: &MeshOptions) -> &(Mesh, Vec<Diagnostic>) {
        self.mesh.get_or_init(|| {
            Mesh::with_analysis(self.objects, options, || self.exposure().analysis.clone())
        })
    }

    /// The scan's service mesh, built on first use with the options of that first call (a
    /// scan has one set of options).
    pub fn mesh(&self, options: &MeshOptions) -> &Mesh {
        &self.mesh_and_diagnostics(options).0
    }

    /// The position of `object` among the scan's objects, if it is one of them.
    pub fn index_of(&self, object: &Object) -> Option<usize> {
        index_in(self.objects, object)
    }

    /// The configuration files the control plane's flags name.
    pub fn control_plane_files(&self) -> &ControlPlaneFiles<'a> {
        &self.control_plane_files
    }

    /// The network policy analysis of the scan, built on first use; `None` when the scan holds
    /// no NetworkPolicy nor admin network policy: then nothing restricts any traffic.
    pub fn netpol(&self) -> Option<Netpol<'_>> {
        self.has_policies()
            .then(|| Netpol::new(self.exposure(), self.objects))
    }

    fn has_policies(&self) -> bool {
        *self
            .has_policies
            .get_or_init(|| self.objects.iter().any(is_policy))
    }

    /// The network policy analysis, built once for the network and the mesh rules.
    fn exposure(&self) -> &Exposure {
        self.netpol.get_or_init(|| Exposure::new(self.objects))
    }

    fn namespaces(&self) -> &Namespaces {
        self.namespaces
            .get_or_init(|| Namespaces::new(self.objects))
    }

    /// Whether a Namespace object of the scan declares `name`.
    pub fn is_namespace_declared(&self, name: &str) -> bool {
        self.namespaces().declared.contains(name)
    }

    /// The first object of the scan running pods in `namespace` (objects without a namespace
    /// are in `default`).
    pub fn first_workload(&self, namespace: &str) -> Option<&'a Object> {
        let index = *self.namespaces().first_workload.get(namespace)?;
        Some(&self.objects[index])
    }

    /// Whether `object` is the first object of the scan running pods in its namespace.
    pub fn is_first_workload(&self, object: &Object) -> bool {
        let namespace = object.namespace.as_deref().unwrap_or("default");
        self.first_workload(namespace)
            .is_some_and(|first| std::ptr::eq(first, object))
    }

    /// The ServiceAccount `name` in `namespace` (`None`: objects that name no namespace, which
    /// land in the same namespace when applied together).
    pub fn service_account(&self, namespace: Option<&str>, name: &str) -> Option<&'a Object> {
        self.service_accounts.get(&(namespace, name)).copied()
    }
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

    #[test]
    fn finds_service_accounts_by_namespace_and_name() {
        let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n---\n\
                    apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n";
        let (objects, _) = parse_text("sa.yaml", text, &Limits::default());
        let index = ClusterIndex::new(&objects);
        assert_eq!(
            index
                .service_account(Some("shop"), "web")
                .unwrap()
                .namespace
                .as_deref(),
            Some("shop")
        );
        assert!(
            index
                .service_account(None, "web")
                .unwrap()
                .namespace
                .is_none()
        );
        assert!(index.service_account(Some("other"), "web").is_none());
    }
}
