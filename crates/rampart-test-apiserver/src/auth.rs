//! Who a request comes from (bearer tokens) and whether it may be made: every authenticated
//! user may read everything but the resources forbidden to all, or, given a folder of RBAC
//! objects, exactly what those objects (and the roles every cluster starts with) grant, as
//! rampart's RBAC model decides it.

use std::collections::HashMap;
use std::path::Path;

use rampart_k8s::rbac::{Identity, RbacModel, RbacOptions, Request, Target};
use rampart_source::{Limits, Object, parse_text};

/// A user a token stands for.
#[derive(Debug, Clone)]
pub struct User {
    pub name: String,
    pub groups: Vec<String>,
}

/// `TOKEN=USER[,GROUP...]`
pub fn parse_token(text: &str) -> Result<(String, User), String> {
    let (token, rest) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: expected TOKEN=USER[,GROUP...]"))?;
    let mut parts = rest.split(',');
    let name = parts.next().unwrap_or_default();
    if token.is_empty() || name.is_empty() {
        return Err(format!("`{text}`: expected TOKEN=USER[,GROUP...]"));
    }
    Ok((
        token.to_owned(),
        User {
            name: name.to_owned(),
            groups: parts.map(str::to_owned).collect(),
        },
    ))
}

pub struct Authorizer {
    /// `(group, resource)`, as `--forbid RESOURCE[.GROUP]` names them.
    forbidden: Vec<(String, String)>,
    rbac: Option<RbacModel>,
}

impl Authorizer {
    pub fn new(forbid: &[String], rbac: Option<&Path>) -> Authorizer {
        let forbidden = forbid
            .iter()
            .map(|name| match name.split_once('.') {
                Some((resource, group)) => (group.to_owned(), resource.to_owned()),
                None => (String::new(), name.clone()),
            })
            .collect();
        let rbac = rbac
            .map(|folder| RbacModel::build(&read_objects(folder), &RbacOptions { defaults: true }));
        Authorizer { forbidden, rbac }
    }

    pub fn allows(&self, user: &User, request: &Request) -> bool {
        if let Target::Resource {
            api_group,
            resource,
            ..
        } = &request.target
            && self
                .forbidden
                .iter()
                .any(|(group, name)| group == api_group && name == resource)
        {
            return false;
        }
        match &self.rbac {
            Some(model) => {
                model
                    .can_i(&Identity::user(&user.name, &user.groups), request)
                    .allowed
            }
            None => true,
        }
    }
}

fn read_objects(folder: &Path) -> Vec<Object> {
    let mut objects = Vec::new();
    for path in crate::store::stamp(folder)
        .into_iter()
        .map(|(path, ..)| path)
    {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let (parsed, _) = parse_text(&path.display().to_string(), &text, &Limits::default());
        objects.extend(parsed);
    }
    objects
}

/// Looks tokens up.
pub struct Tokens(pub HashMap<String, User>);

impl Tokens {
    /// The user of an `Authorization: Bearer TOKEN` header.
    pub fn user(&self, authorization: Option<&str>) -> Option<&User> {
        let token = authorization?.strip_prefix("Bearer ")?.trim();
        self.0.get(token)
    }
}
