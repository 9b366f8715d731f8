use rampart_source::Object;

/// The position of `object` in `objects`, when it is one of them (not an equal copy): rules
/// receive references into the scan's objects, and the address tells which.
pub(crate) fn index_in(objects: &[Object], object: &Object) -> Option<usize> {
    let start = objects.as_ptr() as usize;
    let offset = (std::ptr::from_ref(object) as usize).checked_sub(start)?;
    let size = std::mem::size_of::<Object>();
    (offset % size == 0 && offset / size < objects.len()).then_some(offset / size)
}
