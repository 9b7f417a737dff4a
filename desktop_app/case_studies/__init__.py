"""The two case studies on real handwritten digits (tabs 2 and 3 of the window)."""

from desktop_app.case_studies.denoising_study import DenoisingStudy
from desktop_app.case_studies.generation_study import GenerationStudy

__all__ = ["DenoisingStudy", "GenerationStudy"]
