"""The rooms area (机房管理): rooms, racks, facilities, duty log, access register, readings chart, calendar."""
