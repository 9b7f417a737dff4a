"""(initial scaffold, to be replaced by the teaching panels)"""


def build_panels(controller, theme, parent=None):
    return []
