//! `AdmissionReview` of `admission.k8s.io/v1`, as the API server sends a request and reads the
//! answer: only the fields a validating webhook reads or writes. The objects stay raw JSON
//! text, parsed once by the scan's own reader.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

pub const API_VERSION: &str = "admission.k8s.io/v1";
pub const KIND: &str = "AdmissionReview";

/// The request half of an `AdmissionReview`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Review<'a> {
    api_version: String,
    kind: String,
    #[serde(borrow)]
    request: Option<Request<'a>>,
}

/// What the API server asks about: one operation on one object.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request<'a> {
    pub uid: String,
    /// The kind of `object` (for a subresource, of what is sent: `Scale`, `Pod`).
    pub kind: GroupVersionKind,
    pub resource: GroupVersionResource,
    #[serde(default)]
    pub sub_resource: String,
    #[serde(default)]
    pub name: String,
    /// Empty for cluster-scoped objects; objects created in a namespace may leave their own
    /// `metadata.namespace` empty, this one is the namespace they land in.
    #[serde(default)]
    pub namespace: String,
    pub operation: Operation,
    #[serde(default)]
    pub user_info: UserInfo,
    /// The object after the operation; `null` for DELETE.
    #[serde(borrow, default)]
    pub object: Option<&'a RawValue>,
    /// The object before the operation, for UPDATE and DELETE.
    #[serde(borrow, default)]
    pub old_object: Option<&'a RawValue>,
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Deserialize)]
pub struct GroupVersionKind {
    #[serde(default)]
    pub group: String,
    pub version: String,
    pub kind: String,
}

#[derive(Debug, Deserialize)]
pub struct GroupVersionResource {
    #[serde(default)]
    pub group: String,
    pub version: String,
    pub resource: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Operation {
    Create,
    Update,
    Delete,
    Connect,
}

/// Who asks: the authenticated user as the API server saw them.
#[derive(Debug, Default, Deserialize)]
pub struct UserInfo {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub groups: Vec<String>,
}

/// Why a body is not an `AdmissionReview` this webhook can answer, with the request's `uid`
/// when it could still be read, so that the answer can name it.
#[derive(Debug)]
pub struct Malformed {
    pub uid: Option<String>,
    pub message: String,
}

/// Reads an `AdmissionReview` v1 holding a request.
pub fn parse(body: &[u8]) -> Result<Request<'_>, Malformed> {
    match serde_json::from_slice::<Review<'_>>(body) {
        Ok(review) => {
            let uid = review.request.as_ref().map(|r| r.uid.clone());
            let malformed = |message: String| Malformed {
                uid: uid.clone(),
                message,
            };
            if review.api_version != API_VERSION || review.kind != KIND {
                return Err(malformed(format!(
                    "expected an {KIND} of {API_VERSION}, found a {} of {}",
                    review.kind, review.api_version
                )));
            }
            let request = review
                .request
                .ok_or_else(|| malformed(format!("the {KIND} holds no `request`")))?;
            if request.uid.is_empty() {
                return Err(malformed("the request has an empty `uid`".to_owned()));
            }
            Ok(request)
        }
        Err(error) => Err(Malformed {
            uid: uid_of(body),
            message: format!("not an {KIND}: {error}"),
        }),
    }
}

/// The `request.uid` of a body that failed to parse as a whole, when it holds one.
fn uid_of(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Bare {
        request: BareRequest,
    }
    #[derive(Deserialize)]
    struct BareRequest {
        uid: String,
    }
    serde_json::from_slice::<Bare>(body)
        .ok()
        .map(|bare| bare.request.uid)
        .filter(|uid| !uid.is_empty())
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// The request's `uid`, echoed.
    pub uid: String,
    pub allowed: bool,
    /// Why a request is refused (shown to the user as the reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Shown to the user beside an allowed or refused request (`kubectl` prints them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Recorded in the audit log under the webhook's name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub audit_annotations: BTreeMap<String, String>,
}

/// The `metav1.Status` of a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub code: u16,
    pub message: String,
}

/// The whole `AdmissionReview` answering with `response`.
pub fn answer(response: &Response) -> Vec<u8> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Answer<'a> {
        api_version: &'static str,
        kind: &'static str,
        response: &'a Response,
    }
    serde_json::to_vec(&Answer {
        api_version: API_VERSION,
        kind: KIND,
        response,
    })
    .expect("a response serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(request: &str) -> String {
        format!(
            r#"{{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{request}}}"#
        )
    }

    #[test]
    fn reads_a_create_request_with_its_object_raw() {
        let body = review(
            r#"{"uid":"u1","kind":{"group":"","version":"v1","kind":"Pod"},
                "resource":{"group":"","version":"v1","resource":"pods"},
                "namespace":"shop","operation":"CREATE",
                "userInfo":{"username":"alice","groups":["dev","system:authenticated"]},
                "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}},
                "oldObject":null,"dryRun":true}"#,
        );
        let request = parse(body.as_bytes()).unwrap();
        assert_eq!(request.uid, "u1");
        assert_eq!(request.operation, Operation::Create);
        assert_eq!(request.namespace, "shop");
        assert_eq!(request.user_info.groups, ["dev", "system:authenticated"]);
        assert!(request.dry_run);
        assert!(request.old_object.is_none());
        assert!(request.object.unwrap().get().contains(r#""name":"p""#));
    }

    #[test]
    fn keeps_the_uid_of_a_request_it_cannot_read() {
        let body = review(r#"{"uid":"u2","kind":"Pod","operation":"CREATE"}"#);
        let error = parse(body.as_bytes()).unwrap_err();
        assert_eq!(error.uid.as_deref(), Some("u2"));
        assert!(
            error.message.contains("not an AdmissionReview"),
            "{}",
            error.message
        );
    }

    #[test]
    fn refuses_other_versions_and_bodies_without_a_request() {
        let old = r#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview"}"#;
        let error = parse(old.as_bytes()).unwrap_err();
        assert!(error.message.contains("v1beta1"), "{}", error.message);
        let empty = r#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#;
        assert!(
            parse(empty.as_bytes())
                .unwrap_err()
                .message
                .contains("no `request`")
        );
        let error = parse(b"\xff not json").unwrap_err();
        assert_eq!(error.uid, None);
    }

    #[test]
    fn answers_leave_out_empty_fields() {
        let response = Response {
            uid: "u1".to_owned(),
            allowed: true,
            status: None,
            warnings: Vec::new(),
            audit_annotations: BTreeMap::new(),
        };
        assert_eq!(
            String::from_utf8(answer(&response)).unwrap(),
            r#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"u1","allowed":true}}"#
        );
    }
}
