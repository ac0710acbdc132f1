// Built only into the AddressSanitizer test engine (PATHLIGHT_WASM_ASAN, wasm/CMakeLists.txt).
// In WebAssembly, recording the call stack of every malloc unwinds through JavaScript and made the
// engine about 100× slower (a demo bundle took 20 s to load); reports keep the stack of the bad
// access itself, which is what a fix needs.
extern "C" const char* __asan_default_options() { return "malloc_context_size=0"; }
