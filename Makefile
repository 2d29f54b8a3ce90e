# dcssdax: top-level entry points.
#   make demo    boot a VM, add an emulated segment, mkfs, mount -o dax, list
#   make check   the whole test suite (ends with "N passed, N failed")
#   make bench   ratios against pmem, brd and memcpy in one VM boot
#   make check-debug  the VM suite on an x86_64 debug kernel (KASAN,
#                lockdep, DEBUG_LIST, kmemleak), built and cached first
#   make module  build dcssdax.ko for the test kernel
#   make deb     Debian packages dcssdax-dkms and dcssctl, in build/deb/
#   make rpm     the RPMs of packaging/dcssdax.spec, in build/rpm/
#   ARCHES=x86_64 make check   only one architecture
# Everything installs what it needs on first use (Debian, root).

SHELL := /bin/bash
T ?= all

ARCHES ?= x86_64 s390x
export DCSSDAX_ARCHES := $(ARCHES)

setup:
	tests/env/setup-root.sh
	tests/env/setup-bootroot.sh
	$(if $(filter s390x,$(ARCHES)),tests/env/setup-s390x.sh)

module: setup
	tests/env/build.sh x86_64

check: setup
	tests/check.sh '$(T)'

check-debug: setup
	DCSSDAX_DEBUG=1 tests/check.sh '$(T)'

deb:
	tests/env/setup-root.sh
	packaging/build-deb.sh

rpm:
	tests/env/setup-root.sh
	packaging/build-rpm.sh

demo: setup
	tests/demo.sh

bench: setup
	tests/bench.sh

clean:
	rm -rf build

.PHONY: setup module check check-debug deb rpm demo bench clean
