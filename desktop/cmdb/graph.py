"""``ImpactGraph``: the impact analysis as an interactive graph (QGraphicsView).

Nodes are laid out in columns by depth (the analysed CI on the left; a long column wraps into
sub-columns); edges follow the relations
walked. Clicking a node selects it (``node_clicked``); double-clicking asks to re-centre on it
(``node_activated``); the wheel zooms.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

COLUMN_GAP, SUB_GAP, ROW_GAP, RADIUS, MAX_ROWS = 240.0, 150.0, 64.0, 18.0, 8
ROOT_COLOUR, DOWN_COLOUR, UP_COLOUR = QColor("#c62828"), QColor("#ef6c00"), QColor("#1565c0")


class NodeItem(QGraphicsEllipseItem):
    def __init__(self, graph: ImpactGraph, node: dict[str, Any], colour: QColor) -> None:
        super().__init__(QRectF(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS))
        self.graph, self.ci_id, self.name = graph, node["id"], node["name"]
        self.setBrush(QBrush(colour.lighter(150)))
        self.setPen(QPen(colour, 2))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setToolTip(f"{node['name']} ({node['class']})")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        label = QGraphicsSimpleTextItem(node["name"], self)
        width = label.boundingRect().width()
        label.setPos(-width / 2, RADIUS + 2)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mousePressEvent(event)
        self.graph.node_clicked.emit(self.ci_id)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.graph.node_activated.emit(self.ci_id)


class ImpactGraph(QGraphicsView):
    node_clicked = Signal(object)
    node_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("impact_graph")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.nodes: dict[str, NodeItem] = {}
        self.edges: list[QGraphicsLineItem] = []

    def show_result(self, result: dict[str, Any]) -> None:
        scene = self.scene()
        scene.clear()
        self.nodes, self.edges = {}, []
        by_depth: dict[int, list[dict[str, Any]]] = {}
        for node in result["nodes"]:
            by_depth.setdefault(node["depth"], []).append(node)
        colour = UP_COLOUR if result.get("direction") == "up" else DOWN_COLOUR
        x = 0.0
        for depth, column in sorted(by_depth.items()):
            # a long column wraps into sub-columns of MAX_ROWS, so 40 PCs stay readable
            rows = min(len(column), MAX_ROWS)
            top = -(rows - 1) * ROW_GAP / 2
            for i, node in enumerate(sorted(column, key=lambda n: n["name"])):
                item = NodeItem(self, node, ROOT_COLOUR if depth == 0 else colour)
                sub, row = divmod(i, MAX_ROWS)
                item.setPos(QPointF(x + sub * SUB_GAP, top + row * ROW_GAP))
                item.setZValue(1)
                scene.addItem(item)
                self.nodes[node["id"]] = item
            x += COLUMN_GAP + (len(column) - 1) // MAX_ROWS * SUB_GAP
        for source, target, _rel in result["edges"]:
            a, b = self.nodes.get(source), self.nodes.get(target)
            if a is None or b is None:
                continue
            line = scene.addLine(a.pos().x(), a.pos().y(), b.pos().x(), b.pos().y(), QPen(QColor("#888888"), 1.4))
            self.edges.append(line)
        self.setSceneRect(scene.itemsBoundingRect().adjusted(-40, -40, 40, 40))
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.0:
            self.resetTransform()

    def wheelEvent(self, event: QWheelEvent) -> None:
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        self.scale(factor, factor)
