"""The timeline's look in numbers: sizes and colours the timeline (pyqtgraph) and
its first frame (plain QPainter, painted before pyqtgraph is imported) both draw
by. Here, without numpy or pyqtgraph, so the first frame can import them."""

from __future__ import annotations

DOT_PX = 11
FADED_ALPHA = 45
FALLBACK_COLOR = "#6b7280"
INK = "#111827"
LABEL_LANE_OFFSET = 0.16  # labels sit this far (in lanes) above or below their lane
LABEL_PAD_PX = 4  # event labels sit this many pixels off their lane's offset
ERA_ROW_PX = 20
MAX_LANE_PX = 64
MIN_LANE_PX = 28  # thinner, and the lanes scroll instead
LANE_AXIS_PX = (80, 220)  # the lane names' column: at least, at most
# The date axis.
TICK_PX = 5
ROW_GAP_PX = 2
GRID_ALPHA = (26, 60)  # fine ticks, context boundaries
