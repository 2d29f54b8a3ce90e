# dcssdax: top-level entry points.
#   make demo    boot a VM, add an emulated segment, mkfs, mount -o dax, list
#   make check   the whole test suite (ends with "N passed, N failed"),
#                the s390x legs on the emulated CP last
#   make bench   ratios against pmem, brd and memcpy in one VM boot
#   make check-debug  the VM suite on an x86_64 debug kernel (KASAN,
#                lockdep, DEBUG_LIST, kmemleak), built and cached first
#   make module  build dcssdax.ko for the test kernel
#   make setup   install what make check needs (setup-x86_64: only the
#                build root, which is all make demo and make module need)
#   make deb     Debian packages dcssdax-dkms and dcssctl, in build/deb/
#   make rpm     the RPMs of packaging/dcssdax.spec, in build/rpm/
#   make kernel-patch  the driver as a kernel patch (format-patch style)
#                against the test kernel's source (KSRC=... another
#                tree), in build/kernel-patch/
#   make update-kernels  move the pinned Debian kernels (tests/env/kernels.txt)
#                to the archive's newest, for one commit
#   ARCHES=x86_64 make check   only one architecture
# Everything installs what it needs on first use (Debian, root).

SHELL := /bin/bash
T ?= all

ARCHES ?= x86_64 s390x
export DCSSDAX_ARCHES := $(ARCHES)

setup: setup-x86_64
	tests/env/setup-bootroot.sh
	$(if $(filter s390x,$(ARCHES)),tests/env/setup-s390x.sh)

# What the x86_64 VM alone needs (make demo, make module): the build root.
setup-x86_64:
	tests/env/setup-root.sh

module: setup-x86_64
	tests/env/build.sh x86_64

check: setup
	tests/check.sh '$(T)'

check-debug: setup
	DCSSDAX_DEBUG=1 tests/check.sh '$(T)'

deb: setup-x86_64
	packaging/build-deb.sh

rpm: setup-x86_64
	packaging/build-rpm.sh

kernel-patch:
	packaging/kernel-patch.sh

demo: setup-x86_64
	tests/demo.sh

bench: setup
	tests/bench.sh

update-kernels: setup-x86_64
	tests/env/update-kernels.sh

clean:
	rm -rf build

.PHONY: setup setup-x86_64 module check check-debug deb rpm kernel-patch demo bench update-kernels clean
