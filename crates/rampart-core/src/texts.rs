use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

/// One shared copy of each text that findings carry. A scan's hundred thousand findings point
/// at a few hundred distinct fields, and the replicas and copies of a workload give the same
/// messages again and again; kept until the report is written, a copy each would be a tenth of
/// the scan's memory. Shared by the threads that check objects in parallel.
#[derive(Debug, Default)]
pub struct Texts {
    shared: Mutex<HashSet<Arc<str>, foldhash::fast::RandomState>>,
}

impl Texts {
    /// The shared copy of `text`, made from it when it is new.
    pub fn share(&self, text: String) -> Arc<str> {
        // Inserting cannot leave the set half-changed: a panic elsewhere does not spoil it.
        let mut shared = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(copy) = shared.get(text.as_str()) {
            return Arc::clone(copy);
        }
        let copy: Arc<str> = Arc::from(text);
        shared.insert(Arc::clone(&copy));
        copy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_copy() {
        let texts = Texts::default();
        let first = texts.share("/spec/containers/0/image".to_owned());
        let again = texts.share("/spec/containers/0/image".to_owned());
        let other = texts.share("/spec/containers/1/image".to_owned());
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(&*other, "/spec/containers/1/image");
        assert!(!Arc::ptr_eq(&first, &other));
    }
}
