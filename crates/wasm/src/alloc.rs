//! The module's allocator: dlmalloc (the allocator std uses on wasm32),
//! over memory that grows in big steps: when the heap needs more, the
//! memory grows by at least a quarter of its size (and 1 MiB).
//!
//! V8 counts a WebAssembly memory's growth as external memory and answers
//! enough of it with a full garbage collection of the JS heap. std's
//! allocator grows the memory by what each allocation needs, so a large
//! call (a rollup of a million children, a big calibration table) grew it
//! in hundreds of small steps and spent most of its time in the collector
//! (70 % of a 200,000-child rollup; 7.4 s on a first call, 1.8 s on a
//! second). Geometric growth makes that a handful of steps, and a call
//! that knows it will need much more ([`expect`]) grows once: each step
//! over about 64 MiB costs one collection of the whole JS heap (half a
//! second with a million scorecards in it).

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::{Cell, UnsafeCell};
use dlmalloc::Dlmalloc;

const PAGE: usize = 64 * 1024;

/// Memory from `memory.grow`, in big steps.
struct Geometric;

/// Bytes the running call expects to need: the next growth takes them in
/// one step (then the hint is spent).
struct Hint(Cell<usize>);

// SAFETY: one thread (see `Global`).
unsafe impl Sync for Hint {}

static HINT: Hint = Hint(Cell::new(0));

/// Tells the allocator that the call about to run needs about `bytes`
/// more: when the heap next grows, it grows by that much at once. The JS
/// side calls it before it copies a large input in (the copies are the
/// first allocations of the call).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = expectMemory)]
pub fn expect(bytes: usize) {
    HINT.0.set(bytes);
}

unsafe impl dlmalloc::Allocator for Geometric {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let current = wasm32::memory_size(0) * PAGE;
        let hint = HINT.0.replace(0);
        for want in [size.max(current / 4).max(1 << 20).max(hint), size] {
            let pages = want.div_ceil(PAGE);
            let prev = wasm32::memory_grow(0, pages);
            if prev != usize::MAX {
                return ((prev * PAGE) as *mut u8, pages * PAGE, 0);
            }
        }
        (core::ptr::null_mut(), 0, 0)
    }

    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        core::ptr::null_mut()
    }

    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }

    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }

    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }

    fn allocates_zeros(&self) -> bool {
        true
    }

    fn page_size(&self) -> usize {
        PAGE
    }
}

/// The global allocator: one dlmalloc (the module runs on one thread).
struct Global(UnsafeCell<Dlmalloc<Geometric>>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one
// thread; nothing else reaches the allocator while a call runs.
unsafe impl Sync for Global {}

unsafe impl GlobalAlloc for Global {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).malloc(layout.size(), layout.align())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).calloc(layout.size(), layout.align())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        (*self.0.get()).free(ptr, layout.size(), layout.align())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Global = Global(UnsafeCell::new(Dlmalloc::new_with_allocator(Geometric)));
