//! The API as a client sees it: discovery, lists (paged), gets, watches and the node proxy's
//! `configz`, each behind authentication and authorization, with errors as `Status` objects.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use base64::Engine as _;
use rampart_k8s::rbac::Request;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};

use crate::auth::{Authorizer, Tokens, User};
use crate::resources::{Resource, group_version};
use crate::select::Selector;
use crate::store::{Contents, Event, Store, Watch};

pub struct App {
    pub store: Store,
    pub tokens: Tokens,
    pub authorizer: Authorizer,
    /// What `/version` answers (`v1.33.0`).
    pub version: String,
    /// `(status, times)`: every list answers `status` its first `times` attempts, for tests of
    /// retries.
    pub flaky: Option<(u16, u32)>,
    pub attempts: Mutex<HashMap<String, u32>>,
    /// Where each request is logged, one JSON line each, for tests that check what a client
    /// asked.
    pub access_log: Option<Mutex<std::fs::File>>,
}

pub async fn handle(
    axum::extract::State(app): axum::extract::State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let user = app.tokens.user(
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    );
    let response = match user {
        None => status(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Unauthorized",
            json!({}),
        ),
        Some(user) => serve(&app, user, &method, &uri),
    };
    if let Some(log) = &app.access_log {
        use std::io::Write as _;
        let line = json!({
            "user": user.map(|u| u.name.clone()),
            "method": method.as_str(),
            "uri": uri.to_string(),
            "status": response.status().as_u16(),
        });
        let _ = writeln!(log.lock().unwrap(), "{line}");
    }
    response
}

/// What a path asks for.
enum Target<'p> {
    NonResource,
    ApiVersions,
    GroupList,
    Group(&'p str),
    ResourceList {
        group: &'p str,
        version: &'p str,
    },
    Resource {
        group: &'p str,
        version: &'p str,
        namespace: Option<&'p str>,
        plural: &'p str,
        name: Option<&'p str>,
        /// `proxy/configz` for the node proxy.
        subpath: Vec<&'p str>,
    },
}

fn target(path: &str) -> Option<Target<'_>> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let (group, version, rest) = match segments.as_slice() {
        ["api"] => return Some(Target::ApiVersions),
        ["apis"] => return Some(Target::GroupList),
        ["apis", group] => return Some(Target::Group(group)),
        ["api", version] => return Some(Target::ResourceList { group: "", version }),
        ["apis", group, version] => return Some(Target::ResourceList { group, version }),
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return Some(Target::NonResource),
    };
    let (namespace, rest) = match rest {
        ["namespaces", namespace, plural, rest @ ..] => (Some(*namespace), {
            let mut all = vec![*plural];
            all.extend(rest);
            all
        }),
        rest => (None, rest.to_vec()),
    };
    let (plural, name, subpath) = match rest.as_slice() {
        [plural] => (*plural, None, Vec::new()),
        [plural, name, subpath @ ..] => (*plural, Some(*name), subpath.to_vec()),
        _ => return None,
    };
    Some(Target::Resource {
        group,
        version,
        namespace,
        plural,
        name,
        subpath,
    })
}

fn serve(app: &App, user: &User, method: &Method, uri: &Uri) -> Response {
    let path = uri.path();
    let query = query(uri);
    let Some(target) = target(path) else {
        return not_found(path);
    };
    let watch = matches!(query.get("watch").map(String::as_str), Some("1" | "true"));
    let request = match &target {
        Target::Resource {
            group,
            namespace,
            plural,
            name,
            subpath,
            ..
        } => {
            let subresource = subpath.first().copied().unwrap_or_default();
            let verb = match (name, watch) {
                (_, true) => "watch",
                (None, false) => "list",
                (Some(_), false) => "get",
            };
            Request::resource(
                verb,
                namespace.unwrap_or(""),
                group,
                plural,
                subresource,
                name.unwrap_or(""),
            )
        }
        _ => Request::non_resource("get", path),
    };
    if !app.authorizer.allows(user, &request) {
        return forbidden(user, &request);
    }
    if method != Method::GET {
        return status(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource (rampart's test server only reads)",
            json!({}),
        );
    }
    let (contents, revision) = app.store.contents();
    match target {
        Target::NonResource => non_resource(app, path),
        Target::ApiVersions => ok(json!({
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:443"}],
        })),
        Target::GroupList => ok(group_list(&contents)),
        Target::Group(group) => match group_list(&contents)["groups"]
            .as_array()
            .and_then(|groups| groups.iter().find(|g| g["name"] == group))
        {
            Some(group) => {
                let mut group = group.clone();
                group["kind"] = json!("APIGroup");
                group["apiVersion"] = json!("v1");
                ok(group)
            }
            None => not_found(path),
        },
        Target::ResourceList { group, version } => {
            let resources = contents.resources_at(group, version);
            if resources.is_empty() {
                return not_found(path);
            }
            ok(resource_list(group, version, &resources))
        }
        Target::Resource {
            group,
            version,
            namespace,
            plural,
            name,
            subpath,
        } => {
            let Some(resource) = contents.resource(group, version, plural) else {
                return not_found(path);
            };
            if !subpath.is_empty() {
                return proxy(&contents, resource, name.unwrap_or_default(), &subpath);
            }
            if let Some(response) = flaky(app, uri) {
                return response;
            }
            let selector = match Selector::parse(&query) {
                Ok(selector) => selector,
                Err(message) => return bad_request(&message),
            };
            let scope = Scope {
                resource,
                version,
                namespace: namespace.filter(|_| resource.namespaced),
                selector,
            };
            match (name, watch) {
                (_, true) => watch_response(app, scope, &query),
                (Some(name), false) => get(&contents, &scope, name),
                (None, false) => list(&contents, revision, &scope, &query),
            }
        }
    }
}

fn query(uri: &Uri) -> HashMap<String, String> {
    axum::extract::Query::<HashMap<String, String>>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or_default()
}

fn non_resource(app: &App, path: &str) -> Response {
    match path {
        "/version" => {
            let version = app.version.trim_start_matches('v');
            let mut parts = version.split('.');
            ok(json!({
                "major": parts.next().unwrap_or("1"),
                "minor": parts.next().unwrap_or("0"),
                "gitVersion": app.version,
                "gitCommit": "0000000000000000000000000000000000000000",
                "gitTreeState": "clean",
                "buildDate": "2026-01-01T00:00:00Z",
                "goVersion": "go1.24.0",
                "compiler": "gc",
                "platform": "linux/amd64",
            }))
        }
        "/healthz" | "/livez" | "/readyz" => Response::builder()
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("ok"))
            .unwrap(),
        _ => not_found(path),
    }
}

fn group_list(contents: &Contents) -> Value {
    let groups: Vec<Value> = contents
        .groups()
        .into_iter()
        .filter(|(group, _)| !group.is_empty())
        .map(|(group, versions)| {
            let versions: Vec<Value> = versions
                .iter()
                .map(|v| json!({"groupVersion": group_version(group, v), "version": v}))
                .collect();
            json!({"name": group, "preferredVersion": versions[0], "versions": versions})
        })
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

fn resource_list(group: &str, version: &str, resources: &[&Resource]) -> Value {
    let mut listed = Vec::new();
    for resource in resources {
        listed.push(json!({
            "name": resource.plural,
            "singularName": resource.singular(),
            "namespaced": resource.namespaced,
            "kind": resource.kind,
            "verbs": ["get", "list", "watch"],
            "shortNames": resource.short_names,
        }));
        if resource.group.is_empty() && resource.plural == "nodes" {
            listed.push(json!({
                "name": "nodes/proxy",
                "singularName": "",
                "namespaced": false,
                "kind": "NodeProxyOptions",
                "verbs": ["create", "delete", "get", "patch", "update"],
            }));
        }
    }
    json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version(group, version),
        "resources": listed,
    })
}

/// What a list or watch covers.
struct Scope<'a> {
    resource: &'a Resource,
    version: &'a str,
    namespace: Option<&'a str>,
    selector: Selector,
}

impl Scope<'_> {
    fn covers(&self, namespace: &str, object: &Value) -> bool {
        self.namespace.is_none_or(|ns| ns == namespace) && self.selector.matches(object)
    }

    /// The object as served at the scope's version (the server converts by relabelling).
    fn served(&self, object: &Value) -> Value {
        let mut object = object.clone();
        object["apiVersion"] = json!(group_version(&self.resource.group, self.version));
        object["kind"] = json!(self.resource.kind);
        object
    }
}

fn objects<'c>(
    contents: &'c Contents,
    scope: &Scope<'_>,
) -> Vec<(&'c (String, String), &'c Value)> {
    let key = (scope.resource.group.clone(), scope.resource.plural.clone());
    contents
        .objects
        .get(&key)
        .into_iter()
        .flatten()
        .filter(|((namespace, _), object)| scope.covers(namespace, object))
        .collect()
}

fn get(contents: &Contents, scope: &Scope<'_>, name: &str) -> Response {
    let found = objects(contents, scope)
        .into_iter()
        .find(|((_, object_name), _)| object_name == name);
    match found {
        Some((_, object)) => ok(scope.served(object)),
        None => status(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("{} \"{name}\" not found", resource_name(scope.resource)),
            details(scope.resource, Some(name)),
        ),
    }
}

/// A continue token: where the next page starts, as the API server encodes it.
fn continue_token(revision: u64, after: &(String, String)) -> String {
    let start = if after.0.is_empty() {
        format!("{}\u{0}", after.1)
    } else {
        format!("{}/{}\u{0}", after.0, after.1)
    };
    let token = json!({"v": "meta.k8s.io/v1", "rv": revision, "start": start});
    base64::engine::general_purpose::URL_SAFE.encode(token.to_string())
}

/// The key after which a continue token resumes.
fn resume_after(token: &str) -> Option<(String, String)> {
    let bytes = base64::engine::general_purpose::URL_SAFE
        .decode(token)
        .ok()?;
    let token: Value = serde_json::from_slice(&bytes).ok()?;
    let start = token["start"].as_str()?.strip_suffix('\u{0}')?;
    Some(match start.split_once('/') {
        Some((namespace, name)) => (namespace.to_owned(), name.to_owned()),
        None => (String::new(), start.to_owned()),
    })
}

fn list(
    contents: &Contents,
    revision: u64,
    scope: &Scope<'_>,
    query: &HashMap<String, String>,
) -> Response {
    let limit: usize = match query.get("limit").map(|l| l.parse::<usize>()) {
        None => 0,
        Some(Ok(limit)) => limit,
        Some(Err(_)) => return bad_request("limit: must be a non-negative integer"),
    };
    let after = match query.get("continue").filter(|c| !c.is_empty()) {
        None => None,
        Some(token) => match resume_after(token) {
            Some(after) => Some(after),
            None => return bad_request("continue key is not valid: illegal base64 data"),
        },
    };
    let all: Vec<_> = objects(contents, scope)
        .into_iter()
        .filter(|(key, _)| after.as_ref().is_none_or(|after| *key > after))
        .collect();
    let page = if limit == 0 {
        all.len()
    } else {
        limit.min(all.len())
    };
    let items: Vec<Value> = all[..page]
        .iter()
        .map(|(_, object)| {
            let mut object = scope.served(object);
            // Typed lists of built-in kinds leave each item's type out, as the API server
            // writes them; lists of custom resources keep it.
            if crate::resources::is_built_in_group(&scope.resource.group)
                && let Some(map) = object.as_object_mut()
            {
                map.remove("apiVersion");
                map.remove("kind");
            }
            object
        })
        .collect();
    let mut metadata = json!({"resourceVersion": revision.to_string()});
    if page < all.len() {
        metadata["continue"] = json!(continue_token(revision, all[page - 1].0));
        metadata["remainingItemCount"] = json!(all.len() - page);
    }
    ok(json!({
        "kind": format!("{}List", scope.resource.kind),
        "apiVersion": group_version(&scope.resource.group, scope.version),
        "metadata": metadata,
        "items": items,
    }))
}

fn watch_response(app: &App, scope: Scope<'_>, query: &HashMap<String, String>) -> Response {
    let from: Option<u64> = query
        .get("resourceVersion")
        .filter(|rv| !rv.is_empty() && *rv != "0")
        .and_then(|rv| rv.parse().ok());
    let initial_events = query.get("sendInitialEvents").map(String::as_str) == Some("true");
    let bookmarks = query.get("allowWatchBookmarks").map(String::as_str) == Some("true");
    let timeout = query
        .get("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .unwrap_or(1800);
    let Watch {
        backlog,
        mut receiver,
        contents,
        revision,
    } = app.store.watch_from(from.unwrap_or(u64::MAX));
    let mut lines = Vec::new();
    // Without a resource version to start from (or when asked), the watch starts with the
    // current objects as ADDED events.
    if from.is_none() || initial_events {
        for (_, object) in objects(&contents, &scope) {
            lines.push(event_line("ADDED", &scope.served(object)));
        }
        if initial_events && bookmarks {
            lines.push(bookmark_line(&scope, revision, true));
        }
    }
    if from.is_some() {
        for event in &backlog {
            if let Some(line) = watched(&scope, event) {
                lines.push(line);
            }
        }
    }
    let resource = scope.resource.clone();
    let version = scope.version.to_owned();
    let namespace = scope.namespace.map(str::to_owned);
    let selector = scope.selector;
    let (sender, stream) = mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let scope = Scope {
            resource: &resource,
            version: &version,
            namespace: namespace.as_deref(),
            selector,
        };
        for line in lines {
            if sender.send(line).await.is_err() {
                return;
            }
        }
        let deadline = tokio::time::sleep(Duration::from_secs(timeout));
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                _ = &mut deadline => return,
                _ = sender.closed() => return,
                event = receiver.recv() => match event {
                    Ok(event) => {
                        if let Some(line) = watched(&scope, &event)
                            && sender.send(line).await.is_err()
                        {
                            return;
                        }
                    }
                    // A watcher too slow for the changes starts again, as with a real server.
                    Err(broadcast::error::RecvError::Lagged(_) | broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    });
    let body = futures_util::stream::unfold(stream, |mut stream| async move {
        stream
            .recv()
            .await
            .map(|line| (Ok::<_, Infallible>(line), stream))
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::TRANSFER_ENCODING, "chunked")
        .body(Body::from_stream(body))
        .unwrap()
}

fn watched(scope: &Scope<'_>, event: &Event) -> Option<Bytes> {
    let key = (scope.resource.group.clone(), scope.resource.plural.clone());
    (event.resource == key && scope.covers(&event.namespace, &event.object))
        .then(|| event_line(event.kind, &scope.served(&event.object)))
}

fn event_line(kind: &str, object: &Value) -> Bytes {
    let mut line = json!({"type": kind, "object": object}).to_string();
    line.push('\n');
    Bytes::from(line)
}

fn bookmark_line(scope: &Scope<'_>, revision: u64, initial_end: bool) -> Bytes {
    let mut metadata = json!({"resourceVersion": revision.to_string()});
    if initial_end {
        metadata["annotations"] = json!({"k8s.io/initial-events-end": "true"});
    }
    let object = json!({
        "kind": scope.resource.kind,
        "apiVersion": group_version(&scope.resource.group, scope.version),
        "metadata": metadata,
    });
    event_line("BOOKMARK", &object)
}

/// The node proxy: only the kubelet's `configz`, from the folder's `KubeletConfiguration`
/// named after the node.
fn proxy(contents: &Contents, resource: &Resource, node: &str, subpath: &[&str]) -> Response {
    if !(resource.group.is_empty() && resource.plural == "nodes")
        || subpath.first() != Some(&"proxy")
    {
        return not_found(&subpath.join("/"));
    }
    if !contents.has_node(node) {
        return status(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("nodes \"{node}\" not found"),
            details(resource, Some(node)),
        );
    }
    match (&subpath[1..], contents.kubelet_configs.get(node)) {
        (["configz"], Some(config)) => {
            let mut config = config.clone();
            if let Some(map) = config.as_object_mut() {
                for added in ["apiVersion", "kind", "metadata"] {
                    map.remove(added);
                }
            }
            ok(json!({"kubeletconfig": config}))
        }
        (["configz"], None) => status(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            &format!(
                "error trying to reach service: the kubelet of node \"{node}\" does not answer"
            ),
            json!({}),
        ),
        _ => not_found(&subpath.join("/")),
    }
}

fn flaky(app: &App, uri: &Uri) -> Option<Response> {
    let (code, times) = app.flaky?;
    let mut attempts = app.attempts.lock().unwrap();
    let count = attempts.entry(uri.to_string()).or_default();
    if *count >= times {
        return None;
    }
    *count += 1;
    let code = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut response = status(
        code,
        "TooManyRequests",
        "the server is busy, try again",
        json!({}),
    );
    if code == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, "1".parse().unwrap());
    }
    Some(response)
}

fn resource_name(resource: &Resource) -> String {
    if resource.group.is_empty() {
        resource.plural.clone()
    } else {
        format!("{}.{}", resource.plural, resource.group)
    }
}

fn details(resource: &Resource, name: Option<&str>) -> Value {
    let mut details = json!({"kind": resource.plural});
    if !resource.group.is_empty() {
        details["group"] = json!(resource.group);
    }
    if let Some(name) = name {
        details["name"] = json!(name);
    }
    details
}

/// The API server's message for a refused request.
fn forbidden(user: &User, request: &Request) -> Response {
    use rampart_k8s::rbac::Target as T;
    let (message, details) = match &request.target {
        T::Resource {
            api_group,
            resource,
            subresource,
            name,
        } => {
            let shown = if api_group.is_empty() {
                resource.clone()
            } else {
                format!("{resource}.{api_group}")
            };
            let what = if name.is_empty() {
                shown
            } else {
                format!("{shown} \"{name}\"")
            };
            let full = if subresource.is_empty() {
                resource.clone()
            } else {
                format!("{resource}/{subresource}")
            };
            let scope = if request.namespace.is_empty() {
                "at the cluster scope".to_owned()
            } else {
                format!("in the namespace \"{}\"", request.namespace)
            };
            let mut details = json!({"kind": resource});
            if !api_group.is_empty() {
                details["group"] = json!(api_group);
            }
            if !name.is_empty() {
                details["name"] = json!(name);
            }
            (
                format!(
                    "{what} is forbidden: User \"{}\" cannot {} resource \"{full}\" in API group \"{api_group}\" {scope}",
                    user.name, request.verb
                ),
                details,
            )
        }
        T::NonResource { path } => (
            format!(
                "forbidden: User \"{}\" cannot {} path \"{path}\"",
                user.name, request.verb
            ),
            json!({}),
        ),
    };
    status(StatusCode::FORBIDDEN, "Forbidden", &message, details)
}

fn not_found(path: &str) -> Response {
    status(
        StatusCode::NOT_FOUND,
        "NotFound",
        "the server could not find the requested resource",
        json!({"causes": [{"reason": "UnexpectedServerResponse", "message": format!("404 page not found: {path}")}]}),
    )
}

fn bad_request(message: &str) -> Response {
    status(StatusCode::BAD_REQUEST, "BadRequest", message, json!({}))
}

fn status(code: StatusCode, reason: &str, message: &str, details: Value) -> Response {
    let body = json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "details": details,
        "code": code.as_u16(),
    });
    Response::builder()
        .status(code)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn ok(body: Value) -> Response {
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}
