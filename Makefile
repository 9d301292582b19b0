# kecho: an in-kernel TCP echo server.  See README.md; `make help` lists
# the targets.
TOP := $(CURDIR)
BUILD := $(TOP)/build
BIN := $(BUILD)/bin
# The kernel to build for and boot: the newest with an image and headers.
KVER ?= $(shell $(TOP)/scripts/kver.sh)
KDIR ?= /lib/modules/$(KVER)/build
KERNEL ?= /boot/vmlinuz-$(KVER)
STOCK := $(BUILD)/stock
# The debug kernel (KASAN, lockdep, kmemleak), built once and cached
# outside the checkout by debug/build-kernel.sh.
DEBUG := $(BUILD)/debug
export TOP BUILD BIN KVER KDIR KERNEL

all: modules tools

help:
	@echo "make              build kecho.ko (W=1) and the userspace tools (-Wall -Wextra)"
	@echo "make deps         install missing Debian packages (root)"
	@echo "make install      the modules into /lib/modules/KVER/updates, then depmod (DESTDIR=...)"
	@echo "make uninstall    remove them again"
	@echo "make dkms         register the source with DKMS (/usr/src/kecho-VERSION); make dkms-remove"
	@echo "make deb          build/kecho-dkms_VERSION_all.deb, the DKMS source package"
	@echo "make check        install deps, then run every test suite"
	@echo "make check-host   userspace tests on this machine"
	@echo "make check-dkms   make install, DKMS and the .deb, on this machine (root)"
	@echo "make check-install make install and DKMS trees, modprobe in a VM on Debian's kernel"
	@echo "make check-stock  the kernel suite in a VM on Debian's kernel"
	@echo "make check-http   the khttpd suite in a VM on Debian's kernel"
	@echo "make check-proto  the engine API suite (ksrv_testproto.ko) in a VM on Debian's kernel"
	@echo "make check-distros the kernel suite on Debian 13's 6.12 and sid's newest kernel (packaged images);"
	@echo "                  khttpd's and the engine API's suites on sid's"
	@echo "make check-debug  the debug kernel's self-check, then the kernel suite on it"
	@echo "make stress       stress cycles on the debug kernel (CYCLES=100)"
	@echo "make demo         install deps, boot the VM, compare kecho with the old designs and userspace (10 conns x 64 B),"
	@echo "                  then khttpd, khttpd relaying to python3, nginx and lighttpd (10 conns x 4 KiB)"
	@echo "make bench        bench-echo, then bench-http"
	@echo "make bench-echo   the whole echo benchmark matrix; writes results/ (report.md, plots)"
	@echo "make bench-zerocopy kecho copying against zerocopy=1 (64 B to 64 KiB); writes results/zerocopy/"
	@echo "make bench-http   khttpd (and its relay to python3, nginx) vs nginx and lighttpd (wrk, h2load, ab);"
	@echo "                  writes results/http-report.md (PLAN=quick)"
	@echo "make bench-http-wq khttpd's workqueues (wq=spread, its default; percpu; unbound) and nginx; writes results/http-wq.md"
	@echo "make profile      perf profile of servers under load, in the VM (ARGS='servers=kecho-event,epoll conns=10';"
	@echo "                  HTTP: ARGS='servers=khttpd-event,nginx load=keepalive|close size=4096')"
	@echo "make vm-shell     boot the VM with kecho loaded and give a shell (ARGS='port=... design=...')"
	@echo "make lint         checkpatch.pl, W=1 and sparse builds, userspace warnings"
	@echo "make fuzz         libFuzzer on khttpd's request parser (FUZZ_SECS=600)"
	@echo "make clean"

deps:
	@$(TOP)/scripts/deps.sh

# Install the modules the distribution's way: under updates/ of the
# kernel's module tree, then depmod, so that "modprobe khttpd" pulls in
# ksrv.  DESTDIR installs into another root (a package, an initramfs).
# The example configurations (packaging/, every line commented out) go
# to /etc only where no such file is yet; uninstall removes them only if
# they are still as shipped.
MODDIR = $(DESTDIR)/lib/modules/$(KVER)/updates/kecho
MODULES := ksrv kecho khttpd
CONFS := modprobe.d/kecho.conf modules-load.d/kecho.conf
install: modules
	@install -d $(MODDIR)
	@for m in $(MODULES); do install -m 644 $(STOCK)/$$m.ko $(MODDIR)/; done
	@for f in $(CONFS); do \
		[ -e $(DESTDIR)/etc/$$f ] && continue; \
		install -D -m 644 $(TOP)/packaging/$$f $(DESTDIR)/etc/$$f; \
		echo "installed $(DESTDIR)/etc/$$f (all commented out)"; \
	done
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)

uninstall:
	rm -f $(addprefix $(MODDIR)/,$(addsuffix .ko,$(MODULES)))
	-rmdir $(MODDIR) 2>/dev/null
	@for f in $(CONFS); do \
		cmp -s $(TOP)/packaging/$$f $(DESTDIR)/etc/$$f && \
			rm -f $(DESTDIR)/etc/$$f && echo "removed $(DESTDIR)/etc/$$f"; \
	done; true
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)

# DKMS: register this source (kernel/ and packaging/dkms.conf, copied to
# /usr/src/kecho-VERSION) with dkms; then "dkms build/install kecho/VERSION".
# dkms-remove removes every kecho version from DKMS again.  deb: the
# kecho-dkms package of that source, build/kecho-dkms_VERSION_all.deb.
dkms:
	@$(TOP)/scripts/dkms.sh add

dkms-remove:
	@$(TOP)/scripts/dkms.sh remove

deb:
	@$(TOP)/packaging/mkdeb.sh $(BUILD)

# Modules are built in a copy of kernel/ per target kernel, so that the
# source tree stays clean and two kernels never share objects.  Only the
# files that differ are copied, so that an unchanged tree is not rebuilt
# (make install after make).
modules:
	@test -d "$(KDIR)" || { echo "no kernel build tree at '$(KDIR)': run 'make deps' as root" >&2; exit 1; }
	@mkdir -p $(STOCK)/src
	@cd $(TOP)/kernel && find . -type f | while read -r f; do \
		cmp -s "$$f" "$(STOCK)/src/$$f" || \
			install -D -m 644 "$$f" "$(STOCK)/src/$$f"; \
	done
	$(MAKE) -C $(STOCK)/src KDIR=$(KDIR)
	@cp $(STOCK)/src/*.ko $(STOCK)/

tools:
	$(MAKE) -C $(TOP)/tools OUT=$(BIN)

# Test-only modules, never shipped, each linked against the Module.symvers
# of the ksrv.ko built for its kernel: ksrv_testproto.ko (tests/proto/) for
# both kernels, the KUnit modules (tests/kunit/) for the debug kernel only,
# which has CONFIG_KUNIT.
# $(call test-module,BUILD-DIR,KDIR,SUBDIR)
test-module = $(MAKE) -C $(2) M=$(1)/$(3) W=1 KSRV_SRC=$(1)/src \
	KBUILD_EXTRA_SYMBOLS=$(1)/src/Module.symvers modules

proto-modules: modules
	@mkdir -p $(STOCK)/proto
	@cp $(TOP)/tests/proto/Kbuild $(TOP)/tests/proto/*.[ch] $(STOCK)/proto/
	$(call test-module,$(STOCK),$(KDIR),proto)
	@cp $(STOCK)/proto/*.ko $(STOCK)/

# Debian's HTTP clients and their libraries, for the HTTP suite; the
# userspace servers the HTTP benchmark compares khttpd with, and
# lighttpd's plugins (its configuration loads none, but it may look).
HTTP_TOOLS := curl wrk ab h2load nginx lighttpd $(wildcard /usr/lib/lighttpd/*.so)
# Debian's python3 (/usr/bin/python3 -> python3.11), for
# "python3 -m http.server", the backend khttpd's relay is benchmarked
# with: its standard library whole, with the compiled __pycache__ (without
# it, python compiles what it imports at its first start in every boot:
# 6-10 s rather than 2 s to listen, under emulation), but for what no
# server imports: the tests, IDLE and Tk, 2to3, the pip and distutils
# installers, pydoc's topics, the static libpython and its build files
# (config-*), the test extension modules; and the extension modules that
# would bring libraries of their own for terminals and databases
# (curses, readline, sqlite3, dbm's Berkeley DB, nis).
PYTHON := $(shell readlink -f /usr/bin/python3)
PYLIB := /usr/lib/$(notdir $(PYTHON))
PY_EXCLUDE := test tests idle_test idlelib tkinter turtledemo turtle.py \
	ensurepip lib2to3 pydoc_data distutils 'config-3*' '_test*.so' \
	'_ctypes_test*' '_xxtestfuzz*' 'xxlimited*' \
	curses '_curses*' 'readline.*' sqlite3 '_sqlite3*' '_dbm.*' 'nis.*'
HTTP_TOOLS += /usr/bin/python3 $(wildcard /etc/$(notdir $(PYTHON))/sitecustomize.py) \
	$(addprefix -x ,$(PY_EXCLUDE)) $(PYLIB)/
HTTP_ROOT := $(BUILD)/http-root
http-root:
	@$(TOP)/scripts/bin-root.sh $(HTTP_ROOT) $(HTTP_TOOLS)

$(STOCK)/initramfs.cpio.gz: modules proto-modules tools http-root FORCE
	@$(TOP)/vm/mkinitramfs.sh $@ $(STOCK) $(BIN) $(HTTP_ROOT)

# The install suite's initramfs: the stock one's files, and module trees
# made by "make install DESTDIR=" and by dkms, with kmod's modprobe
# (tests/install/mkroot.sh).
INSTALL_ROOT := $(BUILD)/install-root
$(STOCK)/install.cpio.gz: modules tools FORCE
	@$(TOP)/tests/install/mkroot.sh $(INSTALL_ROOT)
	@$(TOP)/vm/mkinitramfs.sh $@ $(STOCK) $(BIN) $(INSTALL_ROOT)

# Debian's newer kernels as packaged (scripts/distro-kernel.sh): trixie's
# 6.12 and sid's newest.  Each gets a folder like build/stock, with the
# modules built by this machine's gcc for the kernel's own configuration;
# build/REL/kdir names the cached kernel (vmlinuz, build/, krel).
DISTROS := trixie sid
distro-kernel-%:
	@$(TOP)/scripts/deps.sh --kernels
	@mkdir -p $(BUILD)/$*
	@$(TOP)/scripts/distro-kernel.sh $* > $(BUILD)/$*/kernel.out
	@tail -n 1 $(BUILD)/$*/kernel.out > $(BUILD)/$*/kdir
	@echo "$* kernel: $$(cat $$(cat $(BUILD)/$*/kdir)/krel)"

distro-initramfs-%: distro-kernel-%
	@kd=$$(cat $(BUILD)/$*/kdir); \
	$(MAKE) --no-print-directory STOCK=$(BUILD)/$* KDIR=$$kd/build \
		KVER=$$(cat $$kd/krel) $(BUILD)/$*/initramfs.cpio.gz

check: deps
	@$(MAKE) --no-print-directory check-all

check-all: $(STOCK)/initramfs.cpio.gz $(STOCK)/install.cpio.gz $(DEBUG)/initramfs.cpio.gz \
		$(addprefix distro-initramfs-,$(DISTROS))
	@$(TOP)/scripts/check.sh host dkms lint stock install http proto \
		stock-trixie stock-sid http-sid proto-sid \
		selfcheck kunit debug http-debug proto-debug

check-host: tools
	@$(TOP)/scripts/check.sh host

check-dkms:
	@$(TOP)/scripts/check.sh dkms

check-install: $(STOCK)/install.cpio.gz
	@$(TOP)/scripts/check.sh install

check-stock: $(STOCK)/initramfs.cpio.gz
	@$(TOP)/scripts/check.sh stock

check-http: $(STOCK)/initramfs.cpio.gz
	@$(TOP)/scripts/check.sh http

check-proto: $(STOCK)/initramfs.cpio.gz
	@$(TOP)/scripts/check.sh proto

# The kernel suite on trixie's and sid's kernels; khttpd's and the engine
# API's suites on sid's.
check-distros: deps $(addprefix distro-initramfs-,$(DISTROS))
	@$(TOP)/scripts/check.sh stock-trixie stock-sid http-sid proto-sid

check-debug: deps
	@$(MAKE) --no-print-directory $(DEBUG)/initramfs.cpio.gz
	@$(TOP)/scripts/check.sh selfcheck kunit debug http-debug proto-debug

# More stress cycles on the debug kernel: CYCLES=N (default 100).
stress: deps
	@$(MAKE) --no-print-directory $(DEBUG)/initramfs.cpio.gz
	@CYCLES=$(or $(CYCLES),100) $(TOP)/scripts/check.sh stress

# The debug kernel's build tree; its path is kept in $(DEBUG)/kdir.
debug-kernel:
	@$(TOP)/scripts/deps.sh --debug
	@mkdir -p $(DEBUG)
	@$(TOP)/debug/build-kernel.sh > $(DEBUG)/kdir.out
	@tail -n 1 $(DEBUG)/kdir.out > $(DEBUG)/kdir
	@echo "debug kernel: $$(cat $(DEBUG)/kdir)"

# kecho.ko and the self-check module, built against the debug kernel.
debug-modules: debug-kernel
	@mkdir -p $(DEBUG)/src $(DEBUG)/bugs $(DEBUG)/proto $(DEBUG)/kunit
	@cp -r $(TOP)/kernel/. $(DEBUG)/src/
	@cp -r $(TOP)/tests/bugs/. $(DEBUG)/bugs/
	@cp $(TOP)/tests/proto/Kbuild $(TOP)/tests/proto/*.[ch] $(DEBUG)/proto/
	@cp $(TOP)/tests/kunit/Kbuild $(TOP)/tests/kunit/*.c \
		$(TOP)/kernel/http/parse.[ch] $(TOP)/kernel/engine/sendq.c \
		$(TOP)/kernel/engine/stats.c $(DEBUG)/kunit/
	$(MAKE) -C $(DEBUG)/src KDIR=$$(cat $(DEBUG)/kdir)
	$(MAKE) -C $(DEBUG)/bugs KDIR=$$(cat $(DEBUG)/kdir)
	$(call test-module,$(DEBUG),$$(cat $(DEBUG)/kdir),proto)
	$(call test-module,$(DEBUG),$$(cat $(DEBUG)/kdir),kunit)
	@cp $(DEBUG)/src/*.ko $(DEBUG)/bugs/*.ko $(DEBUG)/proto/*.ko \
		$(DEBUG)/kunit/*.ko $(DEBUG)/

$(DEBUG)/initramfs.cpio.gz: debug-modules tools http-root FORCE
	@$(TOP)/vm/mkinitramfs.sh $@ $(DEBUG) $(BIN) $(HTTP_ROOT)

demo: deps
	@$(MAKE) --no-print-directory $(STOCK)/initramfs.cpio.gz
	@VM_OUT=$(BUILD)/vm-demo VM_TIMEOUT=600 $(TOP)/vm/run.sh bench \
		$(STOCK)/initramfs.cpio.gz plan=demo secs=5
	@python3 $(TOP)/bench/report.py $(BUILD)/vm-demo/results.log $(BUILD)/demo --demo
	@VM_OUT=$(BUILD)/vm-demo-http VM_TIMEOUT=600 $(TOP)/vm/run.sh run \
		$(STOCK)/initramfs.cpio.gz bench/http.sh plan=demo secs=2; rc=$$?; \
	python3 $(TOP)/bench/report_http.py $(BUILD)/vm-demo-http/results.log \
		$(BUILD)/demo --demo || rc=1; exit $$rc

# The echo benchmark, then the HTTP benchmark: one VM boot each.
bench: deps
	@$(MAKE) --no-print-directory bench-echo
	@$(MAKE) --no-print-directory bench-http

bench-echo: deps
	@$(MAKE) --no-print-directory $(STOCK)/initramfs.cpio.gz
	@VM_OUT=$(BUILD)/vm-bench VM_TIMEOUT=1800 $(TOP)/vm/run.sh bench \
		$(STOCK)/initramfs.cpio.gz plan=full secs=$(or $(SECS),2)
	@mkdir -p $(TOP)/results
	@cp $(BUILD)/vm-bench/results.log $(TOP)/results/raw.log
	@python3 $(TOP)/bench/report.py $(TOP)/results/raw.log $(TOP)/results

# kecho copying against kecho zerocopy=1, one boot, three rounds:
# results/zerocopy/ (about 5 min under TCG).
bench-zerocopy: deps
	@$(MAKE) --no-print-directory $(STOCK)/initramfs.cpio.gz
	@VM_OUT=$(BUILD)/vm-bench-zc VM_TIMEOUT=900 $(TOP)/vm/run.sh bench \
		$(STOCK)/initramfs.cpio.gz plan=zerocopy secs=$(or $(SECS),2)
	@mkdir -p $(TOP)/results/zerocopy
	@cp $(BUILD)/vm-bench-zc/results.log $(TOP)/results/zerocopy/raw.log
	@python3 $(TOP)/bench/report.py $(TOP)/results/zerocopy/raw.log $(TOP)/results/zerocopy

# khttpd (both designs, and relaying to python3 and to nginx), nginx and
# lighttpd under wrk, h2load and ab
# (bench/vm/http.sh); the report is written even when a point failed,
# and the target fails then.  PLAN=quick for a short check.  The full plan,
# under TCG on a quiet host: 1,468 s for all six servers, the relay to
# python3 11 min of it (measured; bench/vm/http.sh prints its estimate as
# INFO planned_secs).
bench-http: deps
	@$(MAKE) --no-print-directory $(STOCK)/initramfs.cpio.gz
	@VM_OUT=$(BUILD)/vm-bench-http VM_TIMEOUT=3600 $(TOP)/vm/run.sh run \
		$(STOCK)/initramfs.cpio.gz bench/http.sh plan=$(or $(PLAN),full) \
		secs=$(or $(SECS),2); rc=$$?; \
	mkdir -p $(TOP)/results && \
	cp $(BUILD)/vm-bench-http/results.log $(TOP)/results/http-raw.log && \
	python3 $(TOP)/bench/report_http.py $(TOP)/results/http-raw.log $(TOP)/results || rc=1; \
	exit $$rc

# khttpd's default workqueue (wq=spread) against wq=percpu, wq=unbound and
# nginx, one boot, three rounds: results/http-wq.md (about 4 min under TCG).
WQ_POINTS := keepalive:4096:10,close:4096:10,keepalive:4096:100,close:4096:100,keepalive:1048576:10
bench-http-wq: deps
	@$(MAKE) --no-print-directory $(STOCK)/initramfs.cpio.gz
	@VM_OUT=$(BUILD)/vm-wq VM_TIMEOUT=1200 $(TOP)/vm/run.sh run \
		$(STOCK)/initramfs.cpio.gz bench/http.sh plan=demo secs=2 rounds=3 \
		servers=khttpd-event,khttpd-event-percpu,khttpd-event-unbound,nginx \
		points=$(WQ_POINTS)
	@mkdir -p $(TOP)/results/http-wq
	@cp $(BUILD)/vm-wq/results.log $(TOP)/results/http-wq/raw.log
	@python3 $(TOP)/bench/http_compare.py $(TOP)/results/http-wq/raw.log \
		$(TOP)/results/http-wq.md \
		"khttpd's default, wq=spread (khttpd-event), against wq=percpu, wq=unbound and nginx: requests/s in one boot" \
		nginx khttpd-event-percpu

# perf inside the VM: Debian's perf and its libraries join the initramfs,
# with the HTTP servers and clients (not python3: no relay is profiled).
PROFILE_TOOLS := perf curl wrk ab nginx lighttpd $(wildcard /usr/lib/lighttpd/*.so)
profile: deps
	@$(TOP)/scripts/deps.sh --profile
	@$(MAKE) --no-print-directory modules tools
	@$(TOP)/scripts/bin-root.sh $(BUILD)/perf-root $(PROFILE_TOOLS)
	@$(TOP)/vm/mkinitramfs.sh $(BUILD)/profile.cpio.gz $(STOCK) $(BIN) $(BUILD)/perf-root
	@VM_OUT=$(BUILD)/vm-profile VM_TIMEOUT=600 $(TOP)/vm/run.sh profile \
		$(BUILD)/profile.cpio.gz $(ARGS)

vm-shell: deps
	@$(MAKE) --no-print-directory $(STOCK)/initramfs.cpio.gz
	$(TOP)/vm/run.sh shell $(STOCK)/initramfs.cpio.gz $(ARGS)

# khttpd's request parser under libFuzzer; check-host runs it for 60 s.
fuzz:
	@$(TOP)/tests/fuzz/run.sh $(or $(FUZZ_SECS),600)

# checkpatch.pl, W=1 and sparse builds, -Wall -Wextra: as tests.
lint:
	@$(TOP)/scripts/check.sh lint

clean:
	rm -rf $(BUILD)

FORCE:
.PHONY: all help deps install uninstall dkms dkms-remove deb modules tools http-root check check-all \
	check-host check-dkms check-install check-stock check-http check-proto proto-modules \
	check-distros check-debug stress debug-kernel debug-modules \
	demo bench bench-echo bench-zerocopy bench-http bench-http-wq profile vm-shell fuzz lint clean FORCE
