//! Lists of items keyed by their type: what input formats produce, without a field per format.

use std::any::{Any, TypeId};

/// One list of items, its element type erased.
trait List: Any + Send + Sync {
    fn len(&self) -> usize;
    fn type_name(&self) -> &'static str;
    /// An empty list of the same type.
    fn empty(&self) -> Box<dyn List>;
    fn reserve_exact(&mut self, additional: usize);
    /// Moves every item to the end of `into`, a list of the same type.
    fn move_into(&mut self, into: &mut dyn List);
}

impl<T: Send + Sync + 'static> List for Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }

    fn empty(&self) -> Box<dyn List> {
        Box::new(Vec::<T>::new())
    }

    fn reserve_exact(&mut self, additional: usize) {
        Vec::reserve_exact(self, additional);
    }

    fn move_into(&mut self, into: &mut dyn List) {
        let into: &mut dyn Any = into;
        into.downcast_mut::<Vec<T>>()
            .expect("lists are merged by type")
            .append(self);
    }
}

/// A list per item type, in the order the types first arrived. A scan holds few types, so a
/// short vector beats a hash map.
#[derive(Default)]
pub(crate) struct Items {
    lists: Vec<(TypeId, Box<dyn List>)>,
}

impl Items {
    pub(crate) fn all<T: 'static>(&self) -> &[T] {
        self.position::<T>()
            .and_then(|at| {
                let list: &dyn Any = &*self.lists[at].1;
                list.downcast_ref::<Vec<T>>()
            })
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn list_mut<T: Send + Sync + 'static>(&mut self) -> &mut Vec<T> {
        let at = match self.position::<T>() {
            Some(at) => at,
            None => {
                self.lists
                    .push((TypeId::of::<T>(), Box::new(Vec::<T>::new())));
                self.lists.len() - 1
            }
        };
        let list: &mut dyn Any = &mut *self.lists[at].1;
        list.downcast_mut().expect("lists are keyed by type")
    }

    pub(crate) fn take<T: 'static>(&mut self) -> Vec<T> {
        let Some(at) = self.position::<T>() else {
            return Vec::new();
        };
        let list: Box<dyn Any> = self.lists.remove(at).1;
        *list.downcast().expect("lists are keyed by type")
    }

    /// Moves every item of `parts` here, in order. Each list is sized once: grown by
    /// doubling, a list of tens of thousands of objects would leave its earlier copies behind.
    pub(crate) fn append_all(&mut self, parts: Vec<Items>) {
        for part in &parts {
            for (type_id, list) in &part.lists {
                if self.position_of(*type_id).is_none() {
                    self.lists.push((*type_id, list.empty()));
                }
            }
        }
        for (type_id, list) in &mut self.lists {
            let more = parts
                .iter()
                .flat_map(|part| &part.lists)
                .filter(|(other, _)| other == type_id)
                .map(|(_, other)| other.len())
                .sum();
            list.reserve_exact(more);
        }
        for part in parts {
            for (type_id, mut list) in part.lists {
                let at = self.position_of(type_id).expect("added above");
                list.move_into(&mut *self.lists[at].1);
            }
        }
    }

    fn position<T: 'static>(&self) -> Option<usize> {
        self.position_of(TypeId::of::<T>())
    }

    fn position_of(&self, type_id: TypeId) -> Option<usize> {
        self.lists.iter().position(|(known, _)| *known == type_id)
    }
}

impl std::fmt::Debug for Items {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.lists
                    .iter()
                    .map(|(_, list)| (list.type_name(), list.len())),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(numbers: Vec<u32>, words: Vec<&'static str>) -> Items {
        let mut items = Items::default();
        *items.list_mut() = numbers;
        *items.list_mut() = words;
        items
    }

    #[test]
    fn parts_append_in_order_into_lists_sized_once() {
        let mut items = Items::default();
        items.list_mut().push(0u32);
        items.append_all(vec![
            part(vec![1, 2], vec!["a"]),
            Items::default(),
            part(vec![3], vec!["b", "c"]),
        ]);
        assert_eq!(items.all::<u32>(), [0, 1, 2, 3]);
        assert_eq!(items.all::<&str>(), ["a", "b", "c"]);
        assert_eq!(items.list_mut::<u32>().capacity(), 4);
        assert_eq!(items.list_mut::<&str>().capacity(), 3);
        assert!(items.all::<u8>().is_empty());
        assert_eq!(items.take::<u32>(), [0, 1, 2, 3]);
        assert!(items.all::<u32>().is_empty());
    }
}
