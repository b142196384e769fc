pub(crate) fn _unused() {}
