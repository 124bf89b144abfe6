#!/usr/bin/env python3
"""Turns `lshw -json -numeric` output into an anbao hardware CSV (设备清单).

One row per hardware node lshw reports with a product or a vendor (the machine itself and
plain buses are left out), with the columns anbao reads: 编号 (lshw's id path), 设备名称,
类别 (lshw's class), 厂商 (as lshw writes it, with the numeric vendor id in brackets),
型号, 序列号, 数量, 总线 (lshw's bus info, which says whether a vendor id is PCI or USB).

Usage: lshw -json -numeric | python3 tools/lshw_to_csv.py > hardware.csv
"""
import csv
import json
import sys

HEADER = ["编号", "设备名称", "类别", "厂商", "型号", "序列号", "数量", "总线"]


def rows(node, path):
    here = f"{path}/{node.get('id', '')}".lstrip("/")
    product = node.get("product")
    vendor = node.get("vendor")
    if node.get("class") not in ("system", "bus") and (product or vendor):
        name = product or node.get("description") or node.get("id")
        yield [here, name, node.get("class", ""), vendor or "", product or "",
               node.get("serial", ""), "1", node.get("businfo", "")]
    for child in node.get("children", []):
        yield from rows(child, here)


def main():
    tree = json.load(sys.stdin)
    # lshw prints one object, or a list of them for several machines.
    roots = tree if isinstance(tree, list) else [tree]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(HEADER)
    for root in roots:
        out.writerows(rows(root, ""))


if __name__ == "__main__":
    main()
