"""The graph canvas: ``GraphCanvas`` (widget), the painter of one ``Frame``, the view's
arithmetic. ``from orgmap.gui.canvas import GraphCanvas`` is the way in."""

from orgmap.gui.canvas.painter import Frame, MapPainter
from orgmap.gui.canvas.widget import GraphCanvas

__all__ = ["GraphCanvas", "Frame", "MapPainter"]
