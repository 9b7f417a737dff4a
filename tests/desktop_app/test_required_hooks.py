"""Hooks a base leaves to its subclasses are checked when a subclass is defined: a
concrete view, panel or study that forgets one fails at its ``class`` statement with a
message naming the class and the hook, not later on a click or a tab shown."""

import pytest
from PySide6.QtWidgets import QWidget

from desktop_app.case_studies.live_study import LiveStudy
from desktop_app.frames.live_view import LiveView
from desktop_app.panels.pixel_loss_panel import PixelLossPanel
from desktop_app.panels.sourced_panel import SourcedPanel
from desktop_app.panels.widgets import TeachingPanel
from desktop_app.required_hooks import RequiredHooks, hook, missing_hooks


def test_a_view_without_draw_is_refused_when_defined():
    with pytest.raises(TypeError, match=r"ForgetfulView must define draw\(\) \(from LiveView\)"):
        class ForgetfulView(LiveView, QWidget):
            pass


def test_a_study_without_its_first_config_is_refused_when_defined():
    with pytest.raises(TypeError, match=r"HalfStudy must define initial_config\(\) \(from LiveStudy\)"):
        class HalfStudy(LiveStudy):
            def draw(self, snapshot) -> None:
                pass


def test_a_panel_missing_hooks_is_refused_naming_each():
    with pytest.raises(TypeError, match=r"BarePanel must define render_live\(\) \(from TeachingPanel\)"):
        class BarePanel(TeachingPanel):
            pass
    with pytest.raises(TypeError) as refused:
        class NumbersPanel(SourcedPanel):
            def render_live(self) -> None:
                pass
    for name in ("checked_own", "show_own", "show_source"):
        assert f"{name}() (from SourcedPanel)" in str(refused.value)
    with pytest.raises(TypeError, match=r"TermlessPanel must define term_expression\(\) \(from PixelLossPanel\)"):
        class TermlessPanel(PixelLossPanel):
            pass


def test_a_base_that_declares_hooks_of_its_own_is_abstract_and_a_complete_subclass_is_accepted():
    class Base(RequiredHooks):
        @hook
        def shape(self) -> str:
            """What the subclass is."""

    class Middle(Base):  # declares a hook of its own: abstract, so it may leave ``shape``
        @hook
        def size(self) -> int:
            """How large it is."""

    class Square(Middle):
        def shape(self) -> str:
            return "square"

        def size(self) -> int:
            return 4

    assert missing_hooks(Middle) == [("shape", Base), ("size", Middle)]
    assert missing_hooks(Square) == []
    assert (Square().shape(), Square().size()) == ("square", 4)


def test_the_real_studies_and_panels_define_every_hook():
    from desktop_app.case_studies.denoising_study import DenoisingStudy
    from desktop_app.case_studies.generation_study import GenerationStudy
    from desktop_app.panels.kl_panel import KlPanel
    from desktop_app.panels.log_loss_panel import LogLossPanel
    from desktop_app.panels.mse_panel import MsePanel

    for concrete in (DenoisingStudy, GenerationStudy, KlPanel, LogLossPanel, MsePanel):
        assert missing_hooks(concrete) == []
