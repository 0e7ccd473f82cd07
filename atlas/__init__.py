"""Historical atlas of the Soviet invasion of Manchuria: geodata/ in, self-contained HTML maps out."""
