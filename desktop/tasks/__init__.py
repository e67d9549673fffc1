"""The tasks area (任务管理): tasks issued down the tree, progress and results reported back up."""
