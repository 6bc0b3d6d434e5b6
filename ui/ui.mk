# The page's own rules (included from the top Makefile): the app icons (drawn by
# ui/make_icons.js into the public folder Vite copies), and `make dist`, the static bundle.

ICON_FILES := $(addprefix $(BUILD)/public/icons/,icon-192.png icon-512.png icon-maskable-512.png \
                apple-touch-icon.png favicon-32.png)
$(ICON_FILES) &: ui/make_icons.js
	@node ui/make_icons.js $(BUILD)/public/icons
$(BUILD)/dist/index.html: $(ICON_FILES)

# Beside each staged root image, the list of its blocks that hold data (ui/image_blocks.js): "make
# available offline" then fetches only those.
.PHONY: image-blocks
image-blocks: stage-images
	@node ui/image_blocks.js $(BUILD)/images
page: image-blocks

# `make dist`: the built page plus the root images and images.json in one folder that any plain
# static file host can serve, at its root or under a subpath (docs/deploy.md). Images are
# hard-linked where the file system allows (they are hundreds of MiB, mostly holes).
SITE ?= $(BUILD)/site
.PHONY: dist
dist: page
	@rm -rf $(SITE).tmp && mkdir -p $(SITE).tmp/images
	@cp -R $(BUILD)/dist/. $(SITE).tmp/
	@for f in $(BUILD)/images/*; do \
	    ln "$$f" $(SITE).tmp/images/ 2>/dev/null || cp --sparse=always "$$f" $(SITE).tmp/images/; done
	@rm -rf $(SITE) && mv $(SITE).tmp $(SITE)
	@echo "TabVM static bundle: $(SITE) ($$(du -sh --apparent-size $(SITE)/assets | cut -f1) of page and modules, images: $$(ls $(SITE)/images))"
e2e-tests: dist
