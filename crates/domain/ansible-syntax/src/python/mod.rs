//! Small, faithful re-implementations of the Python behaviours Ansible's inventory
//! plugins depend on (`str.splitlines`, `str.strip`, `shlex.split`, `int()`,
//! `ast.literal_eval`). Matching them exactly is what makes our parse agree with
//! `ansible-inventory` on odd input.

pub(crate) mod literal;
pub(crate) mod num;
pub(crate) mod shlex;
pub(crate) mod text;
